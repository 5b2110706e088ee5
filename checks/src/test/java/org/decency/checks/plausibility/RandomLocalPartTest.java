package org.decency.checks.plausibility;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RandomLocalPartTest {

    @ParameterizedTest(name = "{0} looks random")
    @ValueSource(strings = {"xkrtvbq", "QWRTZP", "mail-bgfkd", "jaaaoe", "a7k2m9x4", "x1y2z3"})
    void machineMadeLocalPartsAreRandom(String local) {
        assertThat(RandomLocalPart.reason(local)).isPresent();
    }

    @ParameterizedTest(name = "{0} does not")
    @ValueSource(strings = {"john", "jsmith1980", "schmidt", "lynch", "info", "firstname.lastname", "user+tag", "a1b2", "noreply"})
    void humanLocalPartsAreNot(String local) {
        assertThat(RandomLocalPart.reason(local)).isEmpty();
    }

    @Test
    void theReasonNamesTheRule() {
        assertThat(RandomLocalPart.reason("xkrtvbq")).contains("5 or more consonants in a row");
        assertThat(RandomLocalPart.reason("jaaaoe")).contains("4 or more vowels in a row");
        assertThat(RandomLocalPart.reason("a7k2m9")).contains("letters and digits alternate 5 times");
    }
}
