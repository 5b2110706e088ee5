package org.decency.doorman;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.decency.core.Action;
import org.decency.core.Connection;
import org.decency.core.Envelope;
import org.decency.core.Score;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.core.Verdict;
import org.decency.pipeline.Pipeline;
import org.junit.jupiter.api.Test;

class PolicyReplyTest {
    final Transaction tx = new Transaction("1234abcdefghijklm", Stage.RCPT, Connection.of("192.0.2.1", "", "h"),
            Envelope.of("a@x.net", "b@y.org"), java.util.Map.of());
    final PolicyReply reply = new PolicyReply(false);

    private static Verdict v(Action a, String text) {
        return new Verdict(a, text, -3.5, -100, List.of(new Score("A", -4, "x|y"), new Score("B", 0.5, "")),
                Set.of("whitelisted", "honey"), "");
    }

    @Test
    void everyActionHasItsPostfixForm() {
        assertThat(reply.render(tx, v(Action.OK, ""), 0)).isEqualTo("OK");
        assertThat(reply.render(tx, v(Action.REJECT, "no"), 0)).isEqualTo("REJECT no");
        assertThat(reply.render(tx, v(Action.DEFER_IF_PERMIT, "later"), 0)).isEqualTo("DEFER_IF_PERMIT later");
        assertThat(reply.render(tx, v(Action.DEFER, "later"), 0)).isEqualTo("DEFER later");
        assertThat(reply.render(tx, v(Action.REPLY, "450 4.7.1 slow down"), 0)).isEqualTo("450 4.7.1 slow down");
        assertThat(reply.render(tx, v(Action.WARN, "hmm"), 0)).isEqualTo("WARN hmm");
        assertThat(reply.render(tx, v(Action.FILTER, "smtp:[127.0.0.1]:10025"), 0)).isEqualTo("FILTER smtp:[127.0.0.1]:10025");
        assertThat(reply.render(tx, v(Action.HOLD, ""), 0)).isEqualTo("HOLD");
        assertThat(reply.render(tx, v(Action.DISCARD, "bye"), 0)).isEqualTo("DISCARD bye");
    }

    @Test
    void dunnoBecomesTheInstanceHeaderWithSortedFlagsAndPipeFreeDetails() {
        assertThat(reply.render(tx, v(Action.DUNNO, ""), 1700000000))
                .isEqualTo("PREPEND X-Decency-Instance: 1234abcdefghijklm|unsigned|-3.5|1700000000|honey,whitelisted"
                        + "|Module: A; Score: -4; x/y|Module: B; Score: 0.5");
        assertThat(new PolicyReply(true).render(tx, v(Action.DUNNO, ""), 0)).isEqualTo("DUNNO");
    }

    @Test
    void uncheckedRunsAnswerPlainDunno() {
        Verdict local = new Verdict(Action.DUNNO, "", 0, -100, List.of(), Set.of(), Pipeline.UNCHECKED_LOCAL);
        assertThat(reply.render(tx, local, 0)).isEqualTo("DUNNO");
    }

    @Test
    void lineBreaksInTextsCannotBreakTheProtocol() {
        assertThat(reply.render(tx, v(Action.REJECT, "one\n\naction=OK\r\n"), 0)).isEqualTo("REJECT one  action=OK");
    }
}
