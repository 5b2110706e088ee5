package org.decency.checks.dspam;

import java.util.List;

/**
 * What DSPAM's server sent after the end of the mail's data. In DLMTP with
 * {@code --stdout} the agent's output (the {@code --deliver=summary} line, or the mail
 * with DSPAM's header fields) ended by a line with a lone dot: {@code output}.
 * Otherwise one LMTP reply for the recipient ({@code 250 2.6.0 <bob> Message accepted
 * for delivery: SPAM}, or a 4xx/5xx): {@code status}. Exactly one of the two is set.
 *
 * @param status the reply, or null when DSPAM wrote output
 * @param output the output lines without the ending dot (dot-stuffing undone); empty with a status
 */
record DspamAnswer(LmtpReply status, List<String> output) {

    DspamAnswer {
        output = List.copyOf(output);
    }

    static DspamAnswer of(LmtpReply status) {
        return new DspamAnswer(status, List.of());
    }

    static DspamAnswer of(List<String> output) {
        return new DspamAnswer(null, output);
    }
}
