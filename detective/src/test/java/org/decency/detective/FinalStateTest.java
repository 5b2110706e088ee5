package org.decency.detective;

import static org.assertj.core.api.Assertions.assertThat;

import org.decency.detective.smtp.SmtpReply;
import org.junit.jupiter.api.Test;

/** The Detective's final state for statistics and metrics: its decision, or what became of it when passing it on failed. */
class FinalStateTest {
    private static final SmtpReply OK = SmtpReply.of(250, "2.0.0", "Ok"), LATER = SmtpReply.of(451, "4.4.1", "Next hop unavailable"),
            BOUNCED = SmtpReply.of(554, "5.4.0", "Next hop unavailable");

    @Test
    void theDecisionAsItWasCarriedOut() {
        assertThat(MailHandler.finalState(new Decision(Decision.Fate.DELIVER, "good", "", null), OK)).isEqualTo("deliver/good");
        assertThat(MailHandler.finalState(new Decision(Decision.Fate.TAG, "spam", "", null), OK)).isEqualTo("tag/spam");
        assertThat(MailHandler.finalState(new Decision(Decision.Fate.QUARANTINE, "virus", "", "EICAR"), OK)).isEqualTo("quarantine/virus");
        assertThat(MailHandler.finalState(new Decision(Decision.Fate.BOUNCE, "spam", "", null), BOUNCED)).isEqualTo("bounce/spam");
        assertThat(MailHandler.finalState(new Decision(Decision.Fate.TEMPFAIL, "tempfail", "", null), LATER)).isEqualTo("tempfail/tempfail");
        assertThat(MailHandler.finalState(new Decision(Decision.Fate.DELETE, "drop", "", null), OK)).isEqualTo("delete/drop");
    }

    @Test
    void aMailNoNextHopTookIsDeferredOrBounced() {
        assertThat(MailHandler.finalState(new Decision(Decision.Fate.DELIVER, "good", "", null), LATER)).isEqualTo("tempfail/good");
        assertThat(MailHandler.finalState(new Decision(Decision.Fate.TAG, "spam", "", null), BOUNCED)).isEqualTo("bounce/spam");
    }
}
