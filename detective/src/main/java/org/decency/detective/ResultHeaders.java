package org.decency.detective;

import java.util.ArrayList;
import java.util.List;
import org.decency.core.Score;
import org.decency.core.Scores;
import org.decency.core.Verdict;
import org.decency.message.MessageEdits;

/**
 * The X-Decency fields a decided mail carries, as the seeds' matrix says: spam that is
 * tagged gets its result, score and the checks that moved it (and the details with
 * {@code noisy_headers}), a virus let through gets its name, good mail gets its result
 * and score only with {@code noisy_headers}. Every front door that lets mail through
 * adds these (the Detective while reinjecting, the Defender as milter header edits) and
 * first removes {@link #OWN} from the mail: a sender could forge them.
 */
public final class ResultHeaders {
    /** Every field Decency writes; those that come with the mail are removed. */
    public static final List<String> OWN = List.of("X-Decency-Instance", "X-Decency-Result", "X-Decency-Score",
            "X-Decency-Details", "X-Decency-SpamInfo", "X-Decency-Virus");

    private ResultHeaders() {}

    /** The fields to add for this decision, in order; empty when there is nothing to say. */
    public static List<MessageEdits.Field> of(Verdict v, Decision d, SpamPolicy spam) {
        List<MessageEdits.Field> out = new ArrayList<>();
        String score = Scores.format(v.total());
        if (d.kind().equals("spam")) {
            out.add(new MessageEdits.Field("X-Decency-Result", "SPAM"));
            out.add(new MessageEdits.Field("X-Decency-Score", score));
            out.add(new MessageEdits.Field("X-Decency-SpamInfo", spamInfo(v)));
            if (spam.noisyHeaders()) out.add(new MessageEdits.Field("X-Decency-Details", details(v)));
        } else if (d.kind().equals("virus")) {
            out.add(new MessageEdits.Field("X-Decency-Result", "VIRUS"));
            out.add(new MessageEdits.Field("X-Decency-Virus", d.virus()));
        } else if (spam.noisyHeaders()) {
            out.add(new MessageEdits.Field("X-Decency-Result", "GOOD"));
            out.add(new MessageEdits.Field("X-Decency-Score", score));
            out.add(new MessageEdits.Field("X-Decency-SpamInfo", spamInfo(v)));
            out.add(new MessageEdits.Field("X-Decency-Details", details(v)));
        }
        return out;
    }

    /** The subject prefix of a spam mail that is tagged, else empty. */
    public static String subjectPrefix(Decision d, SpamPolicy spam) {
        return d.fate() == Decision.Fate.TAG ? spam.subjectPrefix() : "";
    }

    /** The checks that moved the score: {@code SpamAssassin=-30, Bogofilter=-10}. */
    public static String spamInfo(Verdict v) {
        List<String> parts = new ArrayList<>();
        for (Score s : v.scores()) if (s.delta() != 0) parts.add(s.brief());
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    /** Every partial score with its detail: {@code CBL=0; MimeAttribs=-60 (invoice.exe)}. */
    public static String details(Verdict v) {
        List<String> parts = new ArrayList<>();
        for (Score s : v.scores()) parts.add(s.brief() + (s.detail().isEmpty() ? "" : " (" + s.detail().replace('\n', ' ') + ")"));
        return String.join("; ", parts);
    }
}
