package org.decency.defender.milter;

/**
 * What the MTA and the filter agreed on in {@code SMFIC_OPTNEG}: the protocol version,
 * the modifications the filter may ask for ({@code SMFIF_*}) and the protocol steps
 * ({@code SMFIP_*}: steps left out, steps not answered, and the extensions).
 */
public record Negotiation(int version, int actions, int protocol) {

    /** May the filter ask for this modification ({@link Milter#SMFIF_ADDHDRS}, ...)? */
    public boolean allows(int action) {
        return (actions & action) == action;
    }

    /** True when this step ({@link Milter#SMFIP_NR_RCPT}, ...) is agreed. */
    public boolean has(int step) {
        return (protocol & step) == step;
    }

    /** Header values keep their leading space (we must write it too). */
    public boolean leadingSpace() {
        return has(Milter.SMFIP_HDR_LEADSPC);
    }

    /** The MTA understands {@code SMFIR_SKIP} during the body. */
    public boolean skip() {
        return has(Milter.SMFIP_SKIP);
    }
}
