package org.decency.detective;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.decency.core.MailAddress;
import org.decency.core.Outcome;
import org.decency.core.Score;
import org.decency.core.Transaction;
import org.decency.forward.DoormanStoreKeys;
import org.decency.forward.EnvelopeBinding;
import org.decency.forward.InstanceHeader;
import org.decency.message.HeaderField;
import org.decency.message.MessageEdits;
import org.decency.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Doorman's score and flags for a mail, added before the Detective's own checks
 * (score code {@code Doorman}). In this order, the first that has them wins:
 *
 * <ol>
 *   <li>the store, when the Doorman shares it: {@code doorman:queue:<queue id>} of the
 *       Postfix that handed the mail over, else {@code doorman:score:<id>} for the id of
 *       any {@code X-Decency-Instance} header (signed or not: the store is trusted);
 *       entries are read, not used up: Postfix hands a mail for several recipients over
 *       once per recipient (smtp_destination_recipient_limit=1) under one queue id, and
 *       each copy gets the score; entries expire after the Doorman's 10 minutes;</li>
 *   <li>with {@code accept_scoring}: the newest header whose signature verifies for the
 *       mail's client (XFORWARD ADDR), sender and one of its recipients and whose epoch
 *       lies within the freshness window. Unsigned, badly signed, stale and malformed
 *       headers never count; each is logged with why.</li>
 * </ol>
 *
 * Every {@code X-Decency-Instance} header is removed from the mail before it goes on.
 */
public final class DoormanScores implements MailHandler.ScoreImport {
    private static final Logger log = LoggerFactory.getLogger(DoormanScores.class);
    public static final String CODE = "Doorman";
    /** How far a header's epoch may lie ahead of our clock (clocks of two hosts differ a little). */
    static final Duration SKEW = Duration.ofMinutes(1);
    /** Signature checks per mail at most. */
    static final int MAX_VERIFICATIONS = 1000;

    private final AcceptScoring accept;
    private final Store store;
    private final Clock clock;

    /** @param store null: no store shared with a Doorman */
    public DoormanScores(AcceptScoring accept, Store store, Clock clock) {
        this.accept = accept;
        this.store = store;
        this.clock = clock;
    }

    /** Where the Doorman's scores come from, for the start-up line. */
    @Override
    public String toString() {
        return "a shared store" + (accept.enabled()
                ? " and signed headers (" + accept.verifier().describe() + ", at most " + accept.window().toSeconds() + "s old)"
                : "; headers do not count (accept_scoring is off)");
    }

    @Override
    public Outcome prior(Transaction tx, MessageEdits edits) {
        edits.remove(InstanceHeader.NAME);
        List<InstanceHeader> headers = headers(tx);
        Optional<InstanceHeader> found = fromStore(tx, headers);
        if (found.isPresent()) return outcome(tx, found.get(), "the store");
        if (!accept.enabled()) return Outcome.nothing();
        return newestValid(tx, headers).map(h -> outcome(tx, h, "a signed header")).orElse(Outcome.nothing());
    }

    /** Every X-Decency-Instance header that parses; the others are logged. */
    private static List<InstanceHeader> headers(Transaction tx) {
        if (!tx.hasMessage()) return List.of();
        List<InstanceHeader> out = new ArrayList<>();
        for (HeaderField f : tx.message().headers(InstanceHeader.NAME)) {
            try {
                out.add(InstanceHeader.parse(f.value()));
            } catch (IllegalArgumentException e) {
                log.info("detective id={}: {} header not counted: malformed ({})", tx.id(), InstanceHeader.NAME, e.getMessage());
            }
        }
        return out;
    }

    private Optional<InstanceHeader> fromStore(Transaction tx, List<InstanceHeader> headers) {
        if (store == null) return Optional.empty();
        String queueId = tx.envelope().queueId();
        if (!queueId.isEmpty()) {
            Optional<InstanceHeader> h = read(tx, DoormanStoreKeys.byQueueId(queueId));
            if (h.isPresent()) return h;
        }
        InstanceHeader newest = null;
        for (InstanceHeader header : headers) {
            Optional<InstanceHeader> h = read(tx, DoormanStoreKeys.byId(header.id()));
            if (h.isPresent() && (newest == null || h.get().epoch() > newest.epoch())) newest = h.get();
        }
        return Optional.ofNullable(newest);
    }

    /** The entry under {@code key}. */
    private Optional<InstanceHeader> read(Transaction tx, String key) {
        Optional<String> value = store.get(key);
        if (value.isEmpty()) return Optional.empty();
        try {
            return Optional.of(InstanceHeader.parse(value.get()));
        } catch (IllegalArgumentException e) {
            log.warn("detective id={}: store entry {} not counted: malformed ({})", tx.id(), key, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The newest header that counts. Headers are checked top first (Postfix prepends the
     * Doorman's above anything the sender wrote); one not newer than the best so far is
     * not verified, and at most {@link #MAX_VERIFICATIONS} signatures are checked per mail
     * (each header is tried with every recipient), so forged headers cannot eat the CPU.
     */
    private Optional<InstanceHeader> newestValid(Transaction tx, List<InstanceHeader> headers) {
        long now = clock.millis() / 1000;
        InstanceHeader best = null;
        int budget = MAX_VERIFICATIONS;
        for (InstanceHeader h : headers) {
            String why = cheapProblem(h, now);
            if (why != null) {
                log.info("detective id={}: {} {} not counted: {}", tx.id(), InstanceHeader.NAME, h.id(), why);
                continue;
            }
            if (best != null && h.epoch() <= best.epoch()) {
                log.debug("detective id={}: {} {} not checked: not newer than {}", tx.id(), InstanceHeader.NAME, h.id(), best.id());
                continue;
            }
            boolean verified = false;
            for (MailAddress rcpt : tx.envelope().recipients()) {
                if (budget-- <= 0) break;
                if (accept.verifier().verifies(h, EnvelopeBinding.of(tx.clientAddress(), tx.sender().raw(), rcpt.raw()))) {
                    verified = true;
                    break;
                }
            }
            if (verified) {
                best = h;
            } else if (budget < 0) {
                log.warn("detective id={}: {} {} and later ones not checked: {} signature checks for this mail are enough",
                        tx.id(), InstanceHeader.NAME, h.id(), MAX_VERIFICATIONS);
                break;
            } else {
                log.warn("detective id={}: {} {} not counted: the signature does not verify for client [{}], sender <{}> and"
                        + " the recipients {} (another mail's header, changed, or signed with another key)", tx.id(),
                        InstanceHeader.NAME, h.id(), tx.clientAddress(), tx.sender().raw(), recipients(tx));
            }
        }
        return Optional.ofNullable(best);
    }

    /** The recipients for a log line: the first three and how many there are. */
    private static String recipients(Transaction tx) {
        List<MailAddress> r = tx.envelope().recipients();
        return r.size() <= 3 ? r.toString() : r.subList(0, 3).toString().replace("]", ", ... (" + r.size() + " in all)]");
    }

    /** Why the header cannot count whatever its signature, or null. */
    private String cheapProblem(InstanceHeader h, long now) {
        if (!h.signed()) return "unsigned";
        if (h.epoch() > now + SKEW.toSeconds()) return "its epoch " + h.epoch() + " lies " + (h.epoch() - now) + "s in the future";
        if (h.epoch() < now - accept.window().toSeconds()) {
            return "stale: " + (now - h.epoch()) + "s old, accept_scoring_ttl is " + accept.window().toSeconds() + "s";
        }
        return null;
    }

    private static Outcome outcome(Transaction tx, InstanceHeader h, String source) {
        log.debug("detective id={}: Doorman {} scored {} with flags {} (from {})", tx.id(), h.id(), h.score(), h.flags(), source);
        Score s = new Score(CODE, h.scoreValue(), String.join("; ", h.details()));
        return new Outcome(List.of(s), "", h.flags(), null);
    }
}
