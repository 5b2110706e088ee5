/**
 * Score forwarding from the Doorman to the Detective: the {@code X-Decency-Instance}
 * header field ({@link org.decency.forward.InstanceHeader}), its signature bound to one
 * mail's envelope ({@link org.decency.forward.EnvelopeBinding},
 * {@link org.decency.forward.ScoreSigner}, {@link org.decency.forward.ScoreVerifier}), the
 * key files ({@link org.decency.forward.SigningKeys}) and the store keys under which a
 * Doorman leaves its findings for a Detective sharing its store
 * ({@link org.decency.forward.DoormanStoreKeys}).
 */
package org.decency.forward;
