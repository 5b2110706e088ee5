package org.decency.checks.crm114;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.decency.checks.engine.CommandCheck.BadAnswer;
import org.decency.checks.engine.EngineCommand;
import org.junit.jupiter.api.Test;

/** Reading mailreaver's X-CRM114-Status line as CRM114 20100106 prints it, and its variants. */
class Crm114StatusTest {

    static EngineCommand.Result answer(String out, String err) {
        return new EngineCommand.Result(0, out.getBytes(StandardCharsets.UTF_8), false, err, Duration.ZERO);
    }

    @Test
    void theClassAndTheScoreInParentheses() throws BadAnswer {
        Crm114Status s = Crm114Status.of(answer("""
                X-CRM114-Version: 20100106-BlameMichelson ( TRE 0.8.0 (BSD) ) MR-27CA1CFB\s
                X-CRM114-CacheID: sfid-\s
                X-CRM114-Status: SPAM  ( -11.03  )
                """, ""));
        assertThat(s.kind()).isEqualTo(Crm114Status.Kind.SPAM);
        assertThat(s.score()).contains(-11.03);
        assertThat(s.line()).isEqualTo("X-CRM114-Status: SPAM  ( -11.03  )");
        assertThat(Crm114Status.of(answer("X-CRM114-Status: GOOD (  34.71  )\n", "")).score()).contains(34.71);
        Crm114Status u = Crm114Status.of(answer("X-CRM114-Status: UNSURE (   -1.57  ) This message is 'unsure'; please train it!\n", ""));
        assertThat(u.kind()).isEqualTo(Crm114Status.Kind.UNSURE);
        assertThat(u.score()).contains(-1.57);
        assertThat(Crm114Status.of(answer("x-crm114-status: Good (Learn)\n", "")).kind()).isEqualTo(Crm114Status.Kind.GOOD);
        assertThat(Crm114Status.of(answer("X-CRM114-Status: Good (Learn)\n", "")).score()).isEmpty();
        assertThat(Crm114Status.of(answer("X-CRM114-Status: spam (12)\n", "")).score()).contains(12.0);
    }

    @Test
    void anythingElseIsNoVerdictAndSaysWhatBroke() {
        assertThatThrownBy(() -> Crm114Status.of(answer("From: a\n", """

                 ERROR: mailfilter.crm broke.  Here's the error:\s
                ERROR:\s
                crm: *ERROR*\s
                 For some reason, I was unable to read-open the file named  :*:fileprefix:mailfilter.cf
                """))).isInstanceOf(BadAnswer.class)
                .hasMessage("no X-CRM114-Status line in its answer (exited with 0: For some reason, I was unable to read-open "
                        + "the file named  :*:fileprefix:mailfilter.cf)");
        assertThatThrownBy(() -> Crm114Status.of(answer("X-CRM114-Status: MAYBE ( 1.0 )\n", "")))
                .hasMessage("an X-CRM114-Status line without SPAM, GOOD or UNSURE: X-CRM114-Status: MAYBE ( 1.0 )");
    }
}
