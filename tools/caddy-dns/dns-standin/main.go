// A stand-in for an operator's DNS server, for the tests only: authoritative on 127.0.0.1 for one zone, it
// answers SOA and TXT questions from memory and takes RFC 2136 updates of TXT records signed with its TSIG key
// (any other update is refused), as BIND does for a zone with `allow-update { key ...; }`.
//
//	dns-standin -listen 127.0.0.1:5353 -zone apps.test -key-name acme -key <base64>
package main

import (
	"flag"
	"log"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
)

type zone struct {
	name string
	mu   sync.Mutex
	txt  map[string][]string
}

func main() {
	listen := flag.String("listen", "127.0.0.1:5353", "address for UDP and TCP")
	name := flag.String("zone", "", "the zone served, like apps.test")
	keyName := flag.String("key-name", "", "the TSIG key's name")
	key := flag.String("key", "", "the TSIG key, base64")
	flag.Parse()
	if *name == "" || *keyName == "" || *key == "" {
		log.Fatal("-zone, -key-name and -key are needed")
	}
	z := &zone{name: dns.Fqdn(strings.ToLower(*name)), txt: map[string][]string{}}
	secrets := map[string]string{dns.Fqdn(*keyName): *key}
	errors := make(chan error, 2)
	for _, network := range []string{"udp", "tcp"} {
		server := &dns.Server{Addr: *listen, Net: network, Handler: z, TsigSecret: secrets, MsgAcceptFunc: acceptUpdates}
		server.NotifyStartedFunc = func() { log.Printf("listening on %s/%s for %s", *listen, server.Net, z.name) }
		go func() { errors <- server.ListenAndServe() }()
	}
	log.Fatal(<-errors)
}

// acceptUpdates lets RFC 2136 updates through (the library's default answers them NOTIMP), and checks the rest as
// the default does.
func acceptUpdates(header dns.Header) dns.MsgAcceptAction {
	if int(header.Bits>>11)&0xF == dns.OpcodeUpdate {
		return dns.MsgAccept
	}
	return dns.DefaultMsgAcceptFunc(header)
}

func (z *zone) ServeDNS(w dns.ResponseWriter, request *dns.Msg) {
	reply := new(dns.Msg)
	reply.SetReply(request)
	reply.Authoritative = true
	if request.Opcode == dns.OpcodeUpdate {
		z.update(w, request, reply)
	} else {
		z.answer(request, reply)
	}
	if tsig := request.IsTsig(); tsig != nil && w.TsigStatus() == nil {
		reply.SetTsig(tsig.Hdr.Name, tsig.Algorithm, 300, time.Now().Unix())
	}
	_ = w.WriteMsg(reply)
}

func (z *zone) update(w dns.ResponseWriter, request *dns.Msg, reply *dns.Msg) {
	if request.IsTsig() == nil || w.TsigStatus() != nil {
		log.Printf("refused an update without a valid signature")
		reply.Rcode = dns.RcodeRefused
		return
	}
	if len(request.Question) != 1 || !strings.EqualFold(request.Question[0].Name, z.name) {
		reply.Rcode = dns.RcodeNotZone
		return
	}
	z.mu.Lock()
	defer z.mu.Unlock()
	for _, rr := range request.Ns {
		txt, ok := rr.(*dns.TXT)
		owner := strings.ToLower(rr.Header().Name)
		if !ok || !dns.IsSubDomain(z.name, owner) {
			reply.Rcode = dns.RcodeRefused
			return
		}
		text := strings.Join(txt.Txt, "")
		if rr.Header().Class == dns.ClassANY {
			delete(z.txt, owner)
			log.Printf("removed every TXT of %s", owner)
		} else if rr.Header().Class == dns.ClassNONE {
			kept := z.txt[owner][:0]
			for _, one := range z.txt[owner] {
				if one != text {
					kept = append(kept, one)
				}
			}
			z.txt[owner] = kept
			log.Printf("removed TXT %s", owner)
		} else {
			z.txt[owner] = append(z.txt[owner], text)
			log.Printf("added TXT %s", owner)
		}
	}
}

func (z *zone) answer(request *dns.Msg, reply *dns.Msg) {
	z.mu.Lock()
	defer z.mu.Unlock()
	for _, question := range request.Question {
		owner := strings.ToLower(question.Name)
		if !dns.IsSubDomain(z.name, owner) {
			reply.Rcode = dns.RcodeRefused
			return
		}
		switch {
		case question.Qtype == dns.TypeSOA && owner == z.name:
			reply.Answer = append(reply.Answer, z.soa())
		case question.Qtype == dns.TypeTXT:
			for _, text := range z.txt[owner] {
				header := dns.RR_Header{Name: question.Name, Rrtype: dns.TypeTXT, Class: dns.ClassINET, Ttl: 1}
				reply.Answer = append(reply.Answer, &dns.TXT{Hdr: header, Txt: []string{text}})
			}
		}
		if len(reply.Answer) == 0 {
			reply.Ns = append(reply.Ns, z.soa())
		}
	}
}

func (z *zone) soa() dns.RR {
	header := dns.RR_Header{Name: z.name, Rrtype: dns.TypeSOA, Class: dns.ClassINET, Ttl: 1}
	return &dns.SOA{Hdr: header, Ns: "ns." + z.name, Mbox: "admin." + z.name, Serial: 1, Refresh: 60, Retry: 60, Expire: 600, Minttl: 1}
}
