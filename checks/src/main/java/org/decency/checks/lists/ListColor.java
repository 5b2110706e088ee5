package org.decency.checks.lists;

/**
 * Whether a custom list lets mail through (CWL: answer OK, flag {@code whitelisted}) or
 * stops it (CBL: answer REJECT). Also names the list in the store, which the CLI's
 * {@code decency list add cwl|cbl ...} writes to.
 */
public enum ListColor {
    WHITE("cwl", "Hit on Custom White List"),
    BLACK("cbl", "Hit on Custom Black List");

    private final String storeName;
    private final String defaultMessage;

    ListColor(String storeName, String defaultMessage) {
        this.storeName = storeName;
        this.defaultMessage = defaultMessage;
    }

    /** The list name in {@link org.decency.store.ListStore}: {@code cwl} or {@code cbl}. */
    public String storeName() {
        return storeName;
    }

    /** The seeds' answer text on a hit. */
    public String defaultMessage() {
        return defaultMessage;
    }
}
