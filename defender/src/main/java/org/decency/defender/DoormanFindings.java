package org.decency.defender;

import java.util.ArrayList;
import java.util.List;
import org.decency.core.Outcome;
import org.decency.core.Stage;
import org.decency.core.Verdict;
import org.decency.message.MessageEdits;

/**
 * What the Doorman said at the envelope that counts at the end of the data, for the
 * milter and the proxy alike: its score (of the latest stage it was asked at; of several
 * recipients the lowest, the most suspicious one), the fields it PREPENDs, a HOLD and a
 * DISCARD. The score goes before the Detective's checks, so the transaction has one.
 */
final class DoormanFindings {
    private Verdict prior;
    private Stage priorStage;
    /** PREPENDs, in the order the Doorman gave them: put on top of the mail. */
    final List<MessageEdits.Field> prepends = new ArrayList<>();
    /** Why the mail is held (quarantined at the end), or null. */
    String heldBy;
    /** Why the mail is dropped (accepted and not passed on), or null. */
    String droppedBy;

    /** The findings so far, for a message that starts after them (what CONNECT and HELO found counts for each). */
    DoormanFindings copy() {
        DoormanFindings k = new DoormanFindings();
        k.prior = prior;
        k.priorStage = priorStage;
        k.prepends.addAll(prepends);
        k.heldBy = heldBy;
        k.droppedBy = droppedBy;
        return k;
    }

    /** A verdict that let the client go on: it counts when it is of a later stage, or lower at the same stage. */
    void consider(Stage stage, Verdict v) {
        if (prior == null || stage.ordinal() > priorStage.ordinal() || (stage == priorStage && v.total() < prior.total())) {
            prior = v;
            priorStage = stage;
        }
    }

    /** The verdict whose score counts, or null when the Doorman was not asked. */
    Verdict verdict() {
        return prior;
    }

    /** The Doorman's partial scores and flags, added before the Detective's checks. */
    Outcome outcome() {
        return prior == null ? Outcome.nothing() : new Outcome(prior.scores(), "", List.copyOf(prior.flags()), null);
    }
}
