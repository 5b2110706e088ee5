package org.decency.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Identifiers, stages and the running evaluation. */
class CoreTypesTest {

    @Test
    void anIdentifierIsFourDigitsOfTheEpochSecondAnd13RandomCharacters() {
        long before = System.currentTimeMillis() / 1000;
        String id = Identifiers.next();
        long after = System.currentTimeMillis() / 1000;

        assertThat(id).hasSize(17).matches("\\d{4}[a-z0-9]{13}");
        assertThat(id.substring(0, 4)).isIn(String.format("%04d", before % 10000), String.format("%04d", after % 10000));
    }

    @Test
    void identifiersDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) seen.add(Identifiers.next());

        assertThat(seen).hasSize(1000);
    }

    @Test
    void aTransactionGetsAFreshIdentifier() {
        Transaction a = Transaction.of(Stage.RCPT, Connection.of("192.0.2.1", "", ""), Envelope.of("a@x.example", "b@y.example"));
        Transaction b = Transaction.of(Stage.RCPT, Connection.of("192.0.2.1", "", ""), Envelope.of("a@x.example", "b@y.example"));

        assertThat(a.id()).matches("\\d{4}[a-z0-9]{13}").isNotEqualTo(b.id());
        assertThat(a.attributes()).isEmpty();
        assertThat(a.sender().raw()).isEqualTo("a@x.example");
        assertThat(a.recipient().raw()).isEqualTo("b@y.example");
        assertThat(a.clientAddress()).isEqualTo("192.0.2.1");
    }

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource({
            "CONNECT, CONNECT",
            "EHLO, HELO",
            "HELO, HELO",
            "ehlo, HELO",
            "MAIL, MAIL",
            "RCPT, RCPT",
            "DATA, DATA",
            "END-OF-MESSAGE, END_OF_MESSAGE",
            "VRFY, VRFY",
            "ETRN, ETRN",
            "'', RCPT",
            "BDAT, RCPT",
            "END_OF_MESSAGE, RCPT",
    })
    void postfixProtocolStatesMapToStages(String state, Stage stage) {
        assertThat(Stage.fromPolicyState(state)).isEqualTo(stage);
    }

    @Test
    void noProtocolStateMeansRcpt() {
        assertThat(Stage.fromPolicyState(null)).isEqualTo(Stage.RCPT);
    }

    @Test
    void anEvaluationSumsWeightedScoresAndKeepsMessagesAndFlags() {
        Evaluation run = new Evaluation(-10);

        run.add(Outcome.score("A", -4, "a").withMessage("first").withFlag("zeta"), 2);
        assertThat(run.total()).isEqualTo(-8);
        assertThat(run.reachedThreshold()).isFalse();

        run.add(Outcome.scores(List.of(new Score("B1", -1, ""), new Score("B2", -1, ""))).withFlag("alpha"), 1);
        run.add(Outcome.nothing(), 5);

        assertThat(run.total()).isEqualTo(-10);
        assertThat(run.reachedThreshold()).isTrue();
        assertThat(run.scores()).containsExactly(new Score("A", -8, "a"), new Score("B1", -1, ""), new Score("B2", -1, ""));
        assertThat(run.messages()).containsExactly("first");
        assertThat(run.flags()).containsExactly("alpha", "zeta");
        assertThat(run.hasFlag("zeta")).isTrue();
        assertThat(run.hasFlag("beta")).isFalse();
        assertThat(run.threshold()).isEqualTo(-10);
    }

    @Test
    void anOutcomeTotalsItsScoresAndKeepsAFinalWordWithAZeroScore() {
        Outcome o = Outcome.finalWord("CWL", FinalWord.ok(""), "whitelisted");

        assertThat(o.scores()).containsExactly(new Score("CWL", 0, "whitelisted"));
        assertThat(o.finalWord()).isEqualTo(FinalWord.ok(""));
        assertThat(Outcome.scores(List.of(new Score("a", -1.5, ""), new Score("b", 4, ""))).total()).isEqualTo(2.5);
        assertThat(Outcome.nothing().total()).isZero();
        assertThat(Outcome.nothing().withFinalWord(FinalWord.reject("no")).finalWord().action()).isEqualTo(Action.REJECT);
    }
}
