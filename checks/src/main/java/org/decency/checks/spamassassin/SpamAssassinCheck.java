package org.decency.checks.spamassassin;

import org.decency.checks.engine.NothingLearnedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.decency.checks.engine.Trainable;
import org.decency.checks.support.ByteSizes;
import org.decency.core.Check;
import org.decency.core.Evaluation;
import org.decency.core.Outcome;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SpamAssassin: each mail is streamed to spamd ({@code SYMBOLS}, or {@code REPORT} with
 * {@code report: 1}) and its verdict becomes Decency's score: {@code weight_spam} when
 * SpamAssassin says spam, {@code weight_innocent} when not, or with {@code
 * weight_translate} SpamAssassin's own score by steps (SpamAssassin counts spam positive,
 * Decency negative: the table flips the sign). The detail is SpamAssassin's status line,
 * {@code Status: Yes, score=1000.0 required=5.0 tests=GTUBE,NO_RECEIVED}; a mail
 * SpamAssassin calls spam is flagged {@code spam}.
 *
 * <p>spamd down, late ({@code timeout}) or answering what is not its protocol: {@code
 * on_failure} decides, skip (0, the default) or tempfail (the mail is deferred). Mails
 * larger than {@code max_size} (500k, as spamc) are not checked.
 *
 * <p>Trainable: {@code TELL} with {@code Set: local} (learn) or {@code Remove: local}
 * (forget) feeds spamd's Bayes; spamd must run with {@code --allow-tell}.
 *
 * <p>One connection a request (spamd's protocol has no second request on a connection), so
 * nothing is pooled; the check keeps no state of a mail and is safe for any number of
 * threads.
 */
public final class SpamAssassinCheck implements Check, Trainable {
    public static final String SPAM_FLAG = "spam";
    private static final Logger log = LoggerFactory.getLogger(SpamAssassinCheck.class);

    private final String name;
    private final SpamAssassinConfig config;
    private final SpamdClient spamd;

    SpamAssassinCheck(String name, SpamAssassinConfig config) {
        this.name = name;
        this.config = config;
        this.spamd = new SpamdClient(config.spamd(), config.timeout());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Stage> stages() {
        return Set.of(Stage.MESSAGE);
    }

    @Override
    public boolean blocking() {
        return true;
    }

    SpamAssassinConfig config() {
        return config;
    }

    @Override
    public Outcome evaluate(Transaction tx, Evaluation run) {
        if (!tx.hasMessage()) return Outcome.nothing();
        if (config.maxSize().exceededBy(tx)) return Outcome.score(name, 0, config.maxSize().skipped(tx));
        SpamdVerdict verdict;
        try {
            String user = config.user().of(tx);
            SpamdReply reply = spamd.request(config.report() ? "REPORT" : "SYMBOLS", userHeader(user), tx.message()::open,
                    tx.message().size());
            verdict = SpamdVerdict.of(reply, config.report());
        } catch (IOException e) {
            return failure(SpamdClient.describe(e));
        } catch (RuntimeException e) { // a bug of ours must not cost the mail more than spamd being down would
            log.error("{}: unexpected error talking to spamd {}", name, config.spamd(), e);
            return failure("error: " + e);
        }
        Outcome o = Outcome.score(name, config.weights().score(verdict.spam(), verdict.score()), "Status: " + verdict.status());
        return verdict.spam() ? o.withFlag(SPAM_FLAG) : o;
    }

    /** The pipeline gave up on the check (the module's timeout, an error): as any failure of spamd, on_failure decides. */
    @Override
    public Outcome failed(String why) {
        return failure(why);
    }

    private Outcome failure(String what) {
        return config.onFailure().outcome(name, "spamd " + config.spamd() + ": " + what);
    }

    /**
     * Teaches spamd's Bayes with {@code TELL}: {@code Message-class: spam|ham} and {@code
     * Set: local}, or {@code Remove: local} to forget. spamd must run with {@code
     * --allow-tell}, and learns only with Bayes on ({@code use_bayes 1}, the default).
     *
     * @param user whose Bayes database; empty: {@code default_user}, else spamd's own user
     * @throws NothingLearnedException spamd took the lesson but its Bayes changed nothing
     * @throws IOException             spamd is not reachable, refused (no {@code --allow-tell}), or the mail is larger than max_size
     */
    @Override
    public void train(Path mail, String user, Lesson lesson, boolean forget) throws IOException {
        long size = Files.size(mail);
        long max = config.maxSize().maxBytes();
        if (max > 0 && size > max) {
            throw new IOException(mail + " has " + size + " bytes, more than max_size " + ByteSizes.format(max) + ": not taught");
        }
        String who = user == null || user.isEmpty() ? config.user().defaultUser() : user;
        List<Map.Entry<String, String>> headers = new ArrayList<>(userHeader(who));
        headers.add(Map.entry("Message-class", lesson.name().toLowerCase(Locale.ROOT)));
        headers.add(Map.entry(forget ? "Remove" : "Set", "local"));
        SpamdReply reply;
        try {
            reply = spamd.request("TELL", headers, () -> Files.newInputStream(mail), size);
        } catch (IOException e) {
            throw new IOException("spamd " + config.spamd() + ": " + SpamdClient.describe(e), e);
        }
        String did = reply.header(forget ? "DidRemove" : "DidSet");
        if (did == null || !did.toLowerCase(Locale.ROOT).contains("local")) {
            throw new NothingLearnedException("spamd " + config.spamd() + " " + (forget ? "forgot" : "learnt") + " nothing from " + mail
                    + (forget ? ": it was not learnt before" : ": it was learnt as " + lesson.name().toLowerCase(Locale.ROOT) + " before")
                    + ", or spamd's Bayes is off (use_bayes 0, bayes_learn_during_report 0)");
        }
    }

    private static List<Map.Entry<String, String>> userHeader(String user) {
        return user == null || user.isEmpty() ? List.of() : List.of(Map.entry("User", user));
    }
}
