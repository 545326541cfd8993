// Package rfc2136 is Caddy's DNS provider `dns.providers.rfc2136`: it sets and removes the TXT records of ACME's
// DNS-01 challenge with RFC 2136 dynamic updates signed with a TSIG key, which BIND, Knot, PowerDNS and most
// DNS servers an operator runs take. Its configuration is that of the caddy-dns/rfc2136 module (key_name,
// key_alg, key, server), so the Guardian's settings are the same whichever of the two a Caddy is built with.
package rfc2136

import (
	"context"
	"fmt"
	"time"

	"github.com/caddyserver/caddy/v2"
	"github.com/libdns/libdns"
	"github.com/miekg/dns"
)

// Provider updates the zone on Server, signing each update with the TSIG key KeyName (KeyAlg, default
// hmac-sha256; Key in base64).
type Provider struct {
	KeyName string `json:"key_name,omitempty"`
	KeyAlg  string `json:"key_alg,omitempty"`
	Key     string `json:"key,omitempty"`
	Server  string `json:"server,omitempty"`
}

func init() {
	caddy.RegisterModule(Provider{})
}

// CaddyModule returns the module's information.
func (Provider) CaddyModule() caddy.ModuleInfo {
	return caddy.ModuleInfo{ID: "dns.providers.rfc2136", New: func() caddy.Module { return new(Provider) }}
}

// Provision checks that the provider has what an update needs.
func (p *Provider) Provision(caddy.Context) error {
	if p.KeyName == "" || p.Key == "" || p.Server == "" {
		return fmt.Errorf("rfc2136: key_name, key and server are needed")
	}
	if p.KeyAlg == "" {
		p.KeyAlg = dns.HmacSHA256
	}
	return nil
}

// AppendRecords adds the TXT records to the zone.
func (p *Provider) AppendRecords(ctx context.Context, zone string, records []libdns.Record) ([]libdns.Record, error) {
	return records, p.update(ctx, zone, records, false)
}

// DeleteRecords removes the TXT records from the zone.
func (p *Provider) DeleteRecords(ctx context.Context, zone string, records []libdns.Record) ([]libdns.Record, error) {
	return records, p.update(ctx, zone, records, true)
}

func (p *Provider) update(ctx context.Context, zone string, records []libdns.Record, remove bool) error {
	zone = dns.Fqdn(zone)
	rrs := make([]dns.RR, 0, len(records))
	for _, record := range records {
		rr := record.RR()
		if rr.Type != "TXT" {
			return fmt.Errorf("rfc2136: only TXT records are written, not %s", rr.Type)
		}
		header := dns.RR_Header{Name: libdns.AbsoluteName(rr.Name, zone), Rrtype: dns.TypeTXT, Class: dns.ClassINET, Ttl: uint32(rr.TTL.Seconds())}
		rrs = append(rrs, &dns.TXT{Hdr: header, Txt: []string{rr.Data}})
	}
	message := new(dns.Msg)
	message.SetUpdate(zone)
	if remove {
		message.Remove(rrs)
	} else {
		message.Insert(rrs)
	}
	keyName := dns.Fqdn(p.KeyName)
	message.SetTsig(keyName, dns.Fqdn(p.KeyAlg), 300, time.Now().Unix())
	client := &dns.Client{Net: "tcp", TsigSecret: map[string]string{keyName: p.Key}}
	reply, _, err := client.ExchangeContext(ctx, message, p.Server)
	if err != nil {
		return fmt.Errorf("rfc2136: updating %s on %s: %w", zone, p.Server, err)
	}
	if reply.IsTsig() == nil {
		return fmt.Errorf("rfc2136: %s answered the update of %s without a signature", p.Server, zone)
	}
	if reply.Rcode != dns.RcodeSuccess {
		return fmt.Errorf("rfc2136: %s refused the update of %s: %s", p.Server, zone, dns.RcodeToString[reply.Rcode])
	}
	return nil
}

// Interface guards
var (
	_ caddy.Provisioner     = (*Provider)(nil)
	_ libdns.RecordAppender = (*Provider)(nil)
	_ libdns.RecordDeleter  = (*Provider)(nil)
)
