/** The desired firewall state and how each Guardian stands with it. */
export class GetFirewallQuery {}
