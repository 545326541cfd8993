// Caddy with its standard modules and the rfc2136 DNS provider: the proxy for a host whose wildcard certificates
// come over ACME's DNS-01 challenge (docs/proxy.md, "Wildcard certificates"). Debian's caddy has no DNS provider.
package main

import (
	caddycmd "github.com/caddyserver/caddy/v2/cmd"

	_ "github.com/caddyserver/caddy/v2/modules/standard"
	_ "testausdeploy/tools/caddy-dns/rfc2136"
)

func main() {
	caddycmd.Main()
}
