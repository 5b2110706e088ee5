package org.decency.checks.dnsbl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.decency.core.IpAddress;
import org.decency.dns.DnsAnswer;
import org.decency.dns.DnsAnswer.Status;
import org.junit.jupiter.api.Test;

/** The small parts: reversed addresses, return codes, TXT texts and domain names. */
class ListAnswersTest {

    @Test
    void addressesAreReversedByOctetOrNibble() {
        assertThat(ReversedAddress.of(ip("192.0.2.1"))).isEqualTo("1.2.0.192");
        assertThat(ReversedAddress.of(ip("::ffff:198.51.100.7"))).as("a mapped address is IPv4").isEqualTo("7.100.51.198");
        assertThat(ReversedAddress.of(ip("2001:db8:1:2::abcd")))
                .isEqualTo("d.c.b.a.0.0.0.0.0.0.0.0.0.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2");
    }

    @Test
    void anyCodeIn127CountsWithTheListsWeight() {
        ReturnCodes any = ReturnCodes.any(-40);

        assertThat(any.classify(ok("127.0.0.2"))).isEqualTo(Listing.listed(-40, List.of("127.0.0.2")));
        assertThat(any.classify(DnsAnswer.of(Status.NXDOMAIN))).isEqualTo(Listing.notListed());
        assertThat(any.classify(DnsAnswer.of(Status.NODATA))).isEqualTo(Listing.notListed());
        assertThat(any.classify(DnsAnswer.of(Status.TIMEOUT))).isEqualTo(Listing.error("TIMEOUT"));
        assertThat(any.classify(DnsAnswer.of(Status.SERVFAIL))).isEqualTo(Listing.error("SERVFAIL"));
        assertThat(any.classify(DnsAnswer.of(Status.BAD_NAME)).kind()).isEqualTo(Listing.Kind.UNASKABLE);
        assertThat(any.classify(ok("203.0.113.5")).kind()).isEqualTo(Listing.Kind.ERROR);
        assertThat(any.classify(ok("203.0.113.5", "127.0.0.3"))).as("a real code among nonsense counts")
                .isEqualTo(Listing.listed(-40, List.of("127.0.0.3")));
        assertThat(any.canGiveSpamScore()).isTrue();
        assertThat(ReturnCodes.any(10).canGiveSpamScore()).isFalse();
    }

    @Test
    void txtReasonsAreCleanedForAnSmtpReply() {
        assertThat(TxtReasons.clean("Listed\u0007 here:\r\n  see\thttps://x.example/ ")).isEqualTo("Listed here: see https://x.example/");
        assertThat(TxtReasons.clean("é".repeat(10))).isEmpty();
        String cut = TxtReasons.clean("x".repeat(400));
        assertThat(cut).hasSize(TxtReasons.MAX_LENGTH).endsWith("...");
    }

    @Test
    void domainNamesAndTheirParents() {
        assertThat(DomainName.plain("Mail.Example.ORG.", 2)).isEqualTo("mail.example.org");
        assertThat(DomainName.plain("localhost", 2)).isNull();
        assertThat(DomainName.plain("[192.0.2.1]", 2)).isNull();
        assertThat(DomainName.plain("192.0.2.1", 2)).isNull();
        assertThat(DomainName.plain("bad name.example", 2)).isNull();
        assertThat(DomainName.plain("a..example", 2)).isNull();
        assertThat(DomainName.withParents("a.b.c.example.org", 4)).containsExactly("a.b.c.example.org", "b.c.example.org", "c.example.org", "example.org");
        assertThat(DomainName.withParents("a.b.c.example.org", 3)).containsExactly("a.b.c.example.org", "b.c.example.org", "c.example.org");
        assertThat(DomainName.withParents("example.org", 4)).containsExactly("example.org");
    }

    private static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }

    private static DnsAnswer ok(String... addresses) {
        return new DnsAnswer(Status.OK, List.of(addresses), 60);
    }
}
