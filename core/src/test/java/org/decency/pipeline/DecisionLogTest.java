package org.decency.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.decency.core.Action;
import org.decency.core.Connection;
import org.decency.core.Envelope;
import org.decency.core.MailAddress;
import org.decency.core.Score;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.core.Verdict;
import org.junit.jupiter.api.Test;

class DecisionLogTest {
    static final Transaction TX = new Transaction("4711k3j2h1g0f9e8d", Stage.RCPT,
            Connection.of("192.0.2.1", "mail.example.net", "mail.example.net"),
            new Envelope(MailAddress.parse("alice@example.net"), List.of(MailAddress.parse("bob@example.org")), 0, 0, "3F2A1B", ""),
            Map.of());

    @Test
    void oneLineNamesTheClientTheAnswerAndEveryPartialScore() {
        Verdict v = new Verdict(Action.REJECT, "Go away", -130.5, -100,
                List.of(new Score("CWL", 0, ""), new Score("BASIC_HELO_LOCALHOST", -80, "x"), new Score("Greylist", -50.5, "")),
                Set.of(), "");

        assertThat(DecisionLog.line("doorman", TX, v, "REJECT Go away [4711k3j2h1g0f9e8d]", 1_234_567)).isEqualTo(
                "doorman id=4711k3j2h1g0f9e8d stage=RCPT queue_id=3F2A1B client=mail.example.net[192.0.2.1]"
                        + " helo=<mail.example.net> from=<alice@example.net> to=<bob@example.org>"
                        + " action=REJECT Go away [4711k3j2h1g0f9e8d] score=-130.5 threshold=-100"
                        + " checks: CWL=0 BASIC_HELO_LOCALHOST=-80 Greylist=-50.5 time_ms=1.234");
    }

    @Test
    void theDecidingModuleAndShortTimesAreShown() {
        Verdict v = new Verdict(Action.DEFER_IF_PERMIT, "", 0, -100, List.of(new Score("Greylist", 0, "")), Set.of(), "Greylist");

        assertThat(DecisionLog.line("doorman", TX, v, "", 52_000))
                .contains(" action=DEFER_IF_PERMIT score=0 threshold=-100 decided_by=Greylist checks: Greylist=0 time_ms=0.052");
        assertThat(DecisionLog.line("doorman", TX, v, "", 7_000)).endsWith("time_ms=0.007");
        assertThat(DecisionLog.line("doorman", TX, Verdict.of(Action.DUNNO, ""), "DUNNO", 12_345_678_900L))
                .endsWith("checks: none time_ms=12345.678");
    }
}
