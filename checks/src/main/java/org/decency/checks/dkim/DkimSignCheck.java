package org.decency.checks.dkim;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.decency.core.Check;
import org.decency.core.Evaluation;
import org.decency.core.MailAddress;
import org.decency.core.Outcome;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DKIM signing at Stage MESSAGE: a mail whose signing domain has a key gets a DKIM-Signature
 * field on top (through the run's edits, written when the mail is passed on), scored 0 and
 * flagged {@code dkim_signed}. The signing domain is the envelope sender's, as in the seeds
 * (a bounce: the From: field's), or with {@code sign_by: from} the From: field's. The mail is
 * signed as received: a later check that changes a signed field (a subject prefix) breaks
 * the signature, so sign in a Detective that does not tag.
 */
public final class DkimSignCheck implements Check {
    public static final String FLAG_SIGNED = "dkim_signed";
    private static final Logger log = LoggerFactory.getLogger(DkimSignCheck.class);

    private final String name;
    private final DkimSignConfig config;
    private final SigningKeys keys;
    private final Clock clock;

    public DkimSignCheck(String name, DkimSignConfig config, Clock clock) {
        this.name = name;
        this.config = config;
        this.keys = config.keys();
        this.clock = clock;
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
    public Outcome evaluate(Transaction tx, Evaluation run) throws IOException {
        if (!tx.hasMessage()) return Outcome.nothing();
        String domain = signingDomain(tx);
        if (domain.isEmpty()) return Outcome.nothing();
        Optional<SigningKey> key;
        try {
            key = keys.forDomain(domain);
        } catch (DkimSyntaxException e) {
            log.warn("id={} module={} cannot sign for {}: {}", tx.id(), name, domain, e.getMessage());
            return Outcome.score(name, 0, "not signed: " + e.getMessage());
        }
        if (key.isEmpty()) return Outcome.nothing();
        SigningKey k = key.get();
        String value;
        try (InputStream in = tx.message().open()) {
            value = DkimSigner.sign(in, k, config.signerSettings(), clock.instant().getEpochSecond());
        } catch (GeneralSecurityException e) {
            log.warn("id={} module={} cannot sign for {}: {}", tx.id(), name, domain, e.toString());
            return Outcome.score(name, 0, "not signed: " + e.getMessage());
        }
        run.edits().add(DkimSigner.FIELD, value);
        return Outcome.score(name, 0, "signed d=" + k.domain() + " s=" + k.selector() + " a=" + k.algorithm().word())
                .withFlag(FLAG_SIGNED);
    }

    /** The domain that signs, lower-cased; empty when there is none. */
    String signingDomain(Transaction tx) {
        MailAddress sender = tx.sender();
        if (!config.byFromHeader() && sender != null && !sender.isNull()) return sender.domain().toLowerCase(Locale.ROOT);
        return tx.message().header("From").map(DkimSignCheck::addressDomain).orElse("");
    }

    /** The domain of the (first) address in a From: value: {@code "A" <a@example.com>} or {@code a@example.com}. */
    static String addressDomain(String from) {
        String s = from;
        int lt = s.indexOf('<');
        if (lt >= 0) {
            int gt = s.indexOf('>', lt);
            s = s.substring(lt + 1, gt < 0 ? s.length() : gt);
        } else {
            int comma = s.indexOf(',');
            if (comma >= 0) s = s.substring(0, comma);
            s = s.replaceAll("\\(.*?\\)", "");
        }
        int at = s.lastIndexOf('@');
        return at < 0 ? "" : s.substring(at + 1).strip().toLowerCase(Locale.ROOT);
    }
}
