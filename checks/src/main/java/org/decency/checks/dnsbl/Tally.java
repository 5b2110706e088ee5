package org.decency.checks.dnsbl;

import java.util.ArrayList;
import java.util.List;

/**
 * What the lists said during one evaluation, list by list. A list counts once, however
 * many of its questions hit: with the weight of the largest magnitude. Used by one
 * thread at a time.
 */
final class Tally {
    private final List<Blocklist> lists;
    private final Entry[] entries;

    private static final class Entry {
        int asked;
        int pending;
        int misses;
        boolean skipped;
        final List<String> errors = new ArrayList<>();
        Listing hit;
        String hitName = "";
        final List<String> hitAbout = new ArrayList<>();
    }

    Tally(List<Blocklist> lists) {
        this.lists = lists;
        this.entries = new Entry[lists.size()];
        for (int i = 0; i < entries.length; i++) entries[i] = new Entry();
    }

    int size() {
        return entries.length;
    }

    void asked(int list) {
        entries[list].asked++;
        entries[list].pending++;
    }

    void skip(int list) {
        entries[list].skipped = true;
    }

    void record(Question q, Listing l) {
        Entry e = entries[q.list()];
        e.pending--;
        switch (l.kind()) {
            case LISTED -> {
                if (e.hit == null || Math.abs(l.weight()) > Math.abs(e.hit.weight())) {
                    e.hit = l;
                    e.hitName = q.name();
                }
                if (!q.about().isEmpty()) e.hitAbout.add(q.about());
            }
            case NOT_LISTED -> e.misses++;
            case ERROR -> e.errors.add(l.problem());
            case UNASKABLE -> { }
        }
    }

    /** A question that had no answer in time. */
    void lost(Question q) {
        record(q, Listing.error("no answer in time"));
    }

    boolean listed(int list) {
        return entries[list].hit != null;
    }

    Listing hit(int list) {
        return entries[list].hit;
    }

    /** The question name that gave the hit (for its TXT record). */
    String hitName(int list) {
        return entries[list].hitName;
    }

    String hitAbout(int list) {
        return String.join(", ", entries[list].hitAbout);
    }

    boolean spamListed(int list) {
        return listed(list) && entries[list].hit.weight() < 0;
    }

    /** Every question was answered "not listed" (or could not be asked), at least one was. */
    boolean clean(int list) {
        Entry e = entries[list];
        return e.hit == null && e.errors.isEmpty() && e.pending == 0 && e.misses > 0;
    }

    /** Some question of the list was still open when the check stopped waiting (the run had decided). */
    boolean unfinished(int list) {
        return entries[list].pending > 0;
    }

    /** Asked, and every question answered without an error. */
    boolean answered(int list) {
        Entry e = entries[list];
        return e.asked > 0 && e.pending == 0 && e.errors.isEmpty();
    }

    /** Asked and done, with an error. */
    boolean failed(int list) {
        Entry e = entries[list];
        return e.pending == 0 && !e.errors.isEmpty();
    }

    String errors(int list) {
        return String.join(", ", entries[list].errors);
    }

    boolean skipped(int list) {
        return entries[list].skipped;
    }

    int spamHits() {
        int n = 0;
        for (int i = 0; i < entries.length; i++) if (spamListed(i)) n++;
        return n;
    }

    double spamScore() {
        double s = 0;
        for (int i = 0; i < entries.length; i++) if (spamListed(i)) s += entries[i].hit.weight();
        return s;
    }

    boolean harshHit() {
        for (int i = 0; i < entries.length; i++) if (spamListed(i) && lists.get(i).harsh()) return true;
        return false;
    }

    /** The scores so far: hits, and the misses of lists that are done. */
    double total() {
        double t = 0;
        for (int i = 0; i < entries.length; i++) {
            if (listed(i)) t += entries[i].hit.weight();
            else if (clean(i)) t += lists.get(i).missWeight();
        }
        return t;
    }
}
