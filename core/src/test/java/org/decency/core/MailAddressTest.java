package org.decency.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class MailAddressTest {

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"<>", "  <>  ", "   "})
    void theNullSenderHasNoParts(String text) {
        MailAddress a = MailAddress.parse(text);

        assertThat(a).isEqualTo(MailAddress.NULL_SENDER);
        assertThat(a.isNull()).isTrue();
        assertThat(a.localPart()).isEmpty();
        assertThat(a.domain()).isEmpty();
        assertThat(a.normalized()).isEmpty();
    }

    @Test
    void theDomainIsLowerCasedAndTheLocalPartKeepsItsCase() {
        MailAddress a = MailAddress.parse("<User.Name@Mail.Example.ORG>");

        assertThat(a.raw()).isEqualTo("User.Name@Mail.Example.ORG");
        assertThat(a.toString()).isEqualTo("User.Name@Mail.Example.ORG");
        assertThat(a.localPart()).isEqualTo("User.Name");
        assertThat(a.domain()).isEqualTo("mail.example.org");
        assertThat(a.normalized()).isEqualTo("user.name@mail.example.org");
        assertThat(a.isNull()).isFalse();
    }

    @Test
    void anAddressWithoutDomainIsAllLocalPart() {
        MailAddress a = MailAddress.parse("Postmaster");

        assertThat(a.localPart()).isEqualTo("Postmaster");
        assertThat(a.domain()).isEmpty();
        assertThat(a.normalized()).isEqualTo("postmaster");
    }

    @Test
    void theLastAtSplitsAQuotedLocalPart() {
        MailAddress a = MailAddress.parse("\"a@b\"@Example.org");

        assertThat(a.localPart()).isEqualTo("\"a@b\"");
        assertThat(a.domain()).isEqualTo("example.org");
    }

    @Test
    void onlyAWholePairOfAngleBracketsIsStripped() {
        assertThat(MailAddress.parse("<user@example.org").raw()).isEqualTo("<user@example.org");
        assertThat(MailAddress.parse(" <user@example.org> ").raw()).isEqualTo("user@example.org");
    }

    @Test
    void theExtensionIsCutAtTheFirstDelimiter() {
        MailAddress a = MailAddress.parse("User+Tag+More@Example.org").withoutExtension("+");

        assertThat(a.raw()).isEqualTo("User@example.org");
        assertThat(a.localPart()).isEqualTo("User");
        assertThat(a.domain()).isEqualTo("example.org");
        assertThat(MailAddress.parse("list-owner@example.org").withoutExtension("-").normalized()).isEqualTo("list@example.org");
        assertThat(MailAddress.parse("user+tag").withoutExtension("+").raw()).isEqualTo("user");
    }

    @Test
    void everyCharacterOfTheDelimiterSettingIsADelimiterAsInPostfix() {
        assertThat(MailAddress.parse("user-ext@example.org").withoutExtension("+-").raw()).isEqualTo("user@example.org");
        assertThat(MailAddress.parse("user+a-b@example.org").withoutExtension("+-").raw()).isEqualTo("user@example.org");
        assertThat(MailAddress.parse("first.last@example.org").withoutExtension("+-").raw()).isEqualTo("first.last@example.org");
    }

    @Test
    void withoutADelimiterOrExtensionTheAddressStaysAsItIs() {
        MailAddress plain = MailAddress.parse("user@example.org");
        MailAddress tagged = MailAddress.parse("user+tag@example.org");

        assertThat(plain.withoutExtension("+")).isSameAs(plain);
        assertThat(tagged.withoutExtension("")).isSameAs(tagged);
        assertThat(tagged.withoutExtension(null)).isSameAs(tagged);
        assertThat(tagged.withoutExtension("-")).isSameAs(tagged);
        assertThat(MailAddress.parse("+tag@example.org").withoutExtension("+").raw()).isEqualTo("+tag@example.org");
        assertThat(MailAddress.NULL_SENDER.withoutExtension("+")).isSameAs(MailAddress.NULL_SENDER);
    }

    @Test
    void anEnvelopeWithoutRecipientsHasTheNullAddressAsRecipient() {
        Envelope e = Envelope.of("<>");

        assertThat(e.sender().isNull()).isTrue();
        assertThat(e.recipient()).isEqualTo(MailAddress.NULL_SENDER);
        assertThat(Envelope.of("a@x.example", "b@y.example", "c@z.example").recipient().raw()).isEqualTo("b@y.example");
    }
}
