package org.decency.checks.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistrableDomainTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "mx1.mail.example.org, example.org",
            "example.org, example.org",
            "MX.Example.ORG., example.org",
            "smtp.example.co.uk, example.co.uk",
            "example.co.uk, example.co.uk",
            "mail.shop.example.com.br, example.com.br",
            "www.uni.ac.jp, uni.ac.jp",
            "host.xy.de, xy.de",
            "org, org",
            "a.b.example.museum, example.museum"})
    void theRegistrablePartIsTheLastTwoLabelsOrThreeUnderASecondLevelRegistry(String name, String expected) {
        assertThat(RegistrableDomain.of(name)).isEqualTo(expected);
    }

    @Test
    void namesOfOneOwnerAreTheSameAndOthersNot() {
        assertThat(RegistrableDomain.same("out-7.mailer.example.org", "example.org")).isTrue();
        assertThat(RegistrableDomain.same("smtp.example.co.uk", "mx.example.co.uk")).isTrue();
        assertThat(RegistrableDomain.same("smtp.other.co.uk", "example.co.uk")).isFalse();
        assertThat(RegistrableDomain.same("example.org", "example.net")).isFalse();
        assertThat(RegistrableDomain.same("", "")).isFalse();
    }
}
