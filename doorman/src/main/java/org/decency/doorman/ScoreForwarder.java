package org.decency.doorman;

import java.util.ArrayList;
import java.util.List;
import org.decency.core.Score;
import org.decency.core.Scores;
import org.decency.core.Transaction;
import org.decency.core.Verdict;
import org.decency.forward.DoormanStoreKeys;
import org.decency.forward.EnvelopeBinding;
import org.decency.forward.InstanceHeader;
import org.decency.forward.ScoreSigner;
import org.decency.pipeline.Pipeline;
import org.decency.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the Doorman's findings on to the Detective: as the instance header of the
 * PREPEND answer, signed for the mail's client, sender and recipient when a key is set
 * ({@code forward_scoring}), and in the store under the session id and Postfix's queue
 * id, for a Detective sharing the store. Thread-safe.
 */
public final class ScoreForwarder {
    private static final Logger log = LoggerFactory.getLogger(ScoreForwarder.class);

    private final ScoreSigner signer;
    private final Store store;

    /**
     * @param signer null: the header says {@code unsigned}
     * @param store  null: nothing is left in a store
     */
    public ScoreForwarder(ScoreSigner signer, Store store) {
        this.signer = signer;
        this.store = store;
    }

    /** Unsigned headers, no store: what the Doorman did before score forwarding. */
    public static ScoreForwarder unsigned() {
        return new ScoreForwarder(null, null);
    }

    public boolean signs() {
        return signer != null;
    }

    /** {@code signed (Ed25519)} or {@code unsigned}, for the start-up line. */
    public String describe() {
        return signer == null ? "unsigned" : "signed (" + signer.describe() + ")";
    }

    /** The instance header for this decision: signed with a key, else {@code unsigned}. */
    InstanceHeader header(Transaction tx, Verdict v, long epochSecond) {
        InstanceHeader h = unsignedHeader(tx, v, epochSecond);
        return signer == null ? h : signer.sign(h, binding(tx));
    }

    /**
     * Leaves the findings in the store (for {@link DoormanStoreKeys#TTL}) unless Postfix
     * was told to refuse the mail or nothing was checked: the Detective never sees such a
     * recipient, and a refused one must not lend its score to the others of the mail.
     * A failing store is logged, never fatal.
     */
    void remember(Transaction tx, Verdict v, long epochSecond) {
        if (store == null || v.action().refuses() || unchecked(v)) return;
        try {
            String value = unsignedHeader(tx, v, epochSecond).value();
            store.put(DoormanStoreKeys.byId(tx.id()), value, DoormanStoreKeys.TTL);
            String queueId = tx.envelope().queueId();
            if (!queueId.isEmpty()) store.put(DoormanStoreKeys.byQueueId(queueId), value, DoormanStoreKeys.TTL);
        } catch (RuntimeException e) {
            log.warn("doorman id={}: cannot leave the score in the store: {}", tx.id(), e.toString());
        }
    }

    static boolean unchecked(Verdict v) {
        return v.decidedBy().equals(Pipeline.UNCHECKED_LOCAL) || v.decidedBy().equals(Pipeline.UNCHECKED_IGNORED);
    }

    /**
     * The mail as the Detective will see it: Postfix's client address, the sender and the
     * recipient as given (with its extension: the Detective sees RCPT TO unchanged).
     */
    static EnvelopeBinding binding(Transaction tx) {
        String rcpt = tx.attributes().get("recipient");
        return EnvelopeBinding.of(tx.clientAddress(), tx.sender().raw(), rcpt != null ? rcpt : tx.recipient().raw());
    }

    private static InstanceHeader unsignedHeader(Transaction tx, Verdict v, long epochSecond) {
        List<String> details = new ArrayList<>(v.scores().size());
        for (Score s : v.scores()) {
            details.add("Module: " + s.code() + "; Score: " + Scores.format(s.delta()) + (s.detail().isEmpty() ? "" : "; " + s.detail()));
        }
        return InstanceHeader.of(tx.id(), v.total(), epochSecond, v.flags(), details).fitted(InstanceHeader.UNSIGNED.length());
    }
}
