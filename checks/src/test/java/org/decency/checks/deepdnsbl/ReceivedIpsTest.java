package org.decency.checks.deepdnsbl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.decency.checks.support.TestMails;
import org.decency.core.IpAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hosts of the Received fields: which address of each field, which are skipped, in which order. */
class ReceivedIpsTest {
    @TempDir
    Path dir;

    private static String from(String received) {
        return ReceivedIps.from(received).map(IpAddress::toString).orElse("none");
    }

    @Test
    void theAddressTheReceivingHostSawIsTakenFromEachStyle() {
        assertThat(from("from mail.spam.example (unknown [5.6.7.8]) by mx.example.org (Postfix) with ESMTP id 4Xq1Z; Sat, 1 Mar 2025"))
                .isEqualTo("5.6.7.8");
        assertThat(from("from [45.33.32.156] (helo=foo.example) by relay.example.net with esmtp (Exim 4.96) id 1t"))
                .isEqualTo("45.33.32.156");
        assertThat(from("from unknown (HELO mail.example.com) (77.88.99.1) by mx.example.org with SMTP; 1 Mar 2025"))
                .isEqualTo("77.88.99.1");
        assertThat(from("from AM0PR01.eurprd01.prod.outlook.com (2a01:111:f400::1) by AM0PR02.outlook.com (2a01:111:f400::2)"
                + " with Microsoft SMTP Server")).isEqualTo("2a01:111:f400:0:0:0:0:1");
        assertThat(from("from host.example (host.example [IPv6:2a00:1450:4001:81b::200e]) by mx.example.org"))
                .isEqualTo("2a00:1450:4001:81b:0:0:0:200e");
    }

    @Test
    void aHeloThatLooksLikeAnAddressIsWhatTheClientClaimed() {
        assertThat(from("from [1.1.1.1] (unknown [9.9.9.9]) by mx.example.org (Postfix)")).isEqualTo("9.9.9.9");
        assertThat(from("from 1.1.1.1 (unknown [9.9.9.9]) by mx.example.org")).isEqualTo("9.9.9.9");
    }

    @Test
    void onlyTheFromClauseCounts() {
        assertThat(from("by mx.example.org (Postfix, from userid 1000) id 123; Sat, 1 Mar 2025")).isEqualTo("none");
        assertThat(from("from helo.example by mx.example.org ([192.0.2.200]) with SMTP")).isEqualTo("none");
        assertThat(from("from garbage [999.1.1.1] (x [1.2.3]) by y")).isEqualTo("none");
    }

    @Test
    void privateReservedAndRepeatedAddressesAreSkippedNewestFirst() {
        var mail = new TestMails(dir).raw("""
                Received: from relay.example.net (relay.example.net [5.6.7.8])
                	by mx.example.org (Postfix) with ESMTPS id 4Xq1Z; Sat, 1 Mar 2025 12:00:00 +0000
                Received: from inside (inside [10.1.2.3]) by relay.example.net
                Received: from a (a [172.16.5.5]) by b
                Received: from a (a [172.31.255.1]) by b
                Received: from a (a [172.32.0.1]) by b
                Received: from localhost (localhost [127.0.0.1]) by b
                Received: from a (a [169.254.1.1]) by b
                Received: from a (a [IPv6:fd00::1]) by b
                Received: from a (a [IPv6:fe80::1]) by b
                Received: from a (a [IPv6:::1]) by b
                Received: from a (a [100.64.0.1]) by b
                Received: from again (again [5.6.7.8]) by b
                Received: from origin.example (origin.example [45.33.32.156]) by b
                From: a@example.net
                Subject: hops

                body
                """);

        assertThat(ReceivedIps.of(mail)).extracting(IpAddress::toString)
                .containsExactly("5.6.7.8", "172.32.0.1", "45.33.32.156");
    }

    @Test
    void onlyTheFirstHundredFieldsAreRead() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 150; i++) b.append("Received: from h (h [11.0.").append(i / 250).append('.').append(i % 250 + 1).append("]) by x\n");
        var mail = new TestMails(dir).raw(b + "Subject: many\n\nbody\n");

        assertThat(ReceivedIps.of(mail)).hasSize(ReceivedIps.MAX_FIELDS);
        assertThat(ReceivedIps.from("from h (h [11.0.0.1]) by x")).isEqualTo(Optional.of(IpAddress.parse("11.0.0.1").orElseThrow()));
    }
}
