/** Ways to write "somewhere private" in a URL; every one must be refused under the default policy. */
export const privateUrlCorpus = [
  "http://127.0.0.1/",
  "http://127.1/",
  "http://127.0.0.1:6379/",
  "http://2130706433/", // decimal 127.0.0.1
  "http://0x7f000001/", // hex
  "http://0x7f.0.0.1/",
  "http://0177.0.0.1/", // octal
  "http://017700000001/",
  "http://0/",
  "http://0.0.0.0/",
  "http://10.0.0.1/",
  "http://10.255.255.255/",
  "http://172.16.0.1/",
  "http://172.31.255.254/",
  "http://192.168.1.1/",
  "http://169.254.169.254/latest/meta-data/", // AWS, GCP, Azure metadata
  "http://169.254.170.2/", // ECS task metadata
  "http://100.100.100.200/", // Alibaba metadata (carrier-grade NAT range)
  "http://100.64.0.1/",
  "http://192.0.0.192/", // Oracle metadata (IETF protocol assignments)
  "http://198.18.0.1/",
  "http://224.0.0.1/",
  "http://255.255.255.255/",
  "http://[::1]/",
  "http://[::]/",
  "http://[0:0:0:0:0:0:0:1]/",
  "http://[::ffff:127.0.0.1]/", // IPv4-mapped
  "http://[::ffff:7f00:1]/",
  "http://[::ffff:169.254.169.254]/",
  "http://[::ffff:10.0.0.1]/",
  "http://[fe80::1]/",
  "http://[fc00::1]/",
  "http://[fd00:ec2::254]/", // AWS metadata over IPv6
  "http://[::127.0.0.1]/", // IPv4-compatible (deprecated)
  "http://[64:ff9b::7f00:1]/", // NAT64 of 127.0.0.1
  "http://[2002:7f00:1::]/", // 6to4 of 127.0.0.1
  "http://[2001:0::1]/", // Teredo
  "http://[ff02::1]/",
  "http://localhost/",
  "http://LOCALHOST:3000/",
  "http://api.localhost/",
  "https://127.0.0.1:443/",
];
