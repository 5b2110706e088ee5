package org.decency.checks.plausibility;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The default pool patterns: policyd-weight's, with dhcp and pool added. */
class DialupPatternsTest {
    final DialupPatterns defaults = DialupPatterns.defaults();

    @ParameterizedTest(name = "{0} looks like a pool")
    @ValueSource(strings = {"dsl-192-0-2-20.dyn.isp.example", "p5B0C1D2E.dip0.t-ipconnect.example", "cpe-1.cable.isp.example",
            "ppp-10.pool.isp.example", "host.dhcp.isp.example", "pool-71-1-2-3.bstnma.example.net", "dynamic.adsl.isp.example",
            "client-7.home.isp.example", "host-192-0-2-10.example.net", "customer-192.0.2.10.isp.example", "Dial-Up.Pool.ISP.Example"})
    void poolNamesMatch(String host) {
        assertThat(defaults.poolPattern(host)).isPresent();
    }

    @ParameterizedTest(name = "{0} does not")
    @ValueSource(strings = {"mail.example.org", "mx1.dyn.isp.example", "smtp-out.dsl.isp.example", "static-1-2-3-4.isp.example",
            "dedicated.cable.isp.example", "www.example.org", "dsl.example", "isp-dyn.example", ""})
    void mailServersAndShortNamesDoNot(String host) {
        assertThat(defaults.poolPattern(host)).isEmpty();
    }
}
