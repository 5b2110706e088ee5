package org.decency.checks.plausibility;

/**
 * How far the HELO (or the sender domain) vouches for the client, as policyd-weight's
 * {@code helo_ok}, {@code helo_untrusted_ok} and {@code mx_ok} said.
 *
 * @param verified  the HELO resolves to the client or its /24 (/64), is its address literal, or the
 *                  client is a host of the sender domain
 * @param untrusted the HELO resolves only into the client's /16 (/48): the reverse name decides
 * @param mx        the client is a mail host of the HELO's or the sender's domain
 * @param known     false when unanswered questions leave this open (rules that need it are skipped)
 */
record HeloStanding(boolean verified, boolean untrusted, boolean mx, boolean known) {
    static final HeloStanding UNVERIFIED = new HeloStanding(false, false, false, true);
    static final HeloStanding UNKNOWN = new HeloStanding(false, false, false, false);
}
