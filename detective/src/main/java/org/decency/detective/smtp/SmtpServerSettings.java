package org.decency.detective.smtp;

import java.time.Duration;

/**
 * How the Detective's SMTP/LMTP server behaves.
 *
 * @param lmtp          speak LMTP (LHLO, one reply per recipient after DATA) instead of SMTP
 * @param hostname      the name in the greeting and EHLO reply
 * @param instances     sessions served at once; one more is told 421 and closed
 * @param maxSize       largest mail accepted (announced as SIZE)
 * @param maxRecipients most recipients in one transaction
 * @param maxLineLength longest line accepted, command or data
 * @param idleTimeout   a client silent this long is disconnected
 */
public record SmtpServerSettings(String host, int port, boolean lmtp, String hostname, int instances, long maxSize,
                                 int maxRecipients, int maxLineLength, Duration idleTimeout) {}
