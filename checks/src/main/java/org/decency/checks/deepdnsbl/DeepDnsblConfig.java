package org.decency.checks.deepdnsbl;

import org.decency.checks.dnsbl.DnsblConfig;
import org.decency.checks.support.MessageSizeLimit;
import org.decency.config.ConfigNode;

/**
 * The settings of a DeepDNSBL module: those of DNSBL (the lists under {@code blacklist:},
 * their weights, codes and the module-wide options, see {@link DnsblConfig}) and:
 *
 * <pre>{@code
 * - DeepDNSBL:
 *     max_ips: 5       # addresses asked about at most, newest Received first
 *     max_size: 0      # mails larger than this are not looked at (0: no limit)
 *     blacklist:
 *       - {host: ix.dnsbl.manitu.net, weight: -100}
 *       - {host: psbl.surriel.com, weight: -80}
 * }</pre>
 */
record DeepDnsblConfig(DnsblConfig lists, int maxIps, MessageSizeLimit maxSize) {
    static final int DEFAULT_MAX_IPS = 5;

    static DeepDnsblConfig from(ConfigNode n) {
        DnsblConfig lists = DnsblConfig.from(n);
        int maxIps = n.integer("max_ips", DEFAULT_MAX_IPS);
        if (maxIps < 1 || maxIps > 50) throw n.required("max_ips").error("expected 1 to 50 addresses, got " + maxIps);
        return new DeepDnsblConfig(lists, maxIps, MessageSizeLimit.read(n));
    }
}
