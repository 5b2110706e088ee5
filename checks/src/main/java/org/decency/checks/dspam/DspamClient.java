package org.decency.checks.dspam;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.decency.checks.support.HumanDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks DSPAM's server, keeping up to {@link #IDLE_CONNECTIONS} connections open between
 * mails (a connection serves one transaction after another). A kept connection the
 * server has closed meanwhile (DSPAM drops a client silent for 300 seconds, and all of
 * them when it reloads) is noticed at its first command, before anything of the mail
 * was sent, and the exchange goes once more on a new connection. Every exchange,
 * connecting included, ends within the timeout.
 */
final class DspamClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DspamClient.class);

    /** Connections kept open while no mail needs them. */
    static final int IDLE_CONNECTIONS = 4;
    /** A kept connection unused this long is closed rather than used: well within DSPAM's own 300 seconds. */
    static final Duration IDLE_LIMIT = Duration.ofSeconds(60);

    private final DspamEndpoint endpoint;
    private final ClientIdent ident;
    private final Duration timeout;
    private final ArrayDeque<LmtpConnection> idle = new ArrayDeque<>();
    private boolean closed;
    private long opened;

    DspamClient(DspamEndpoint endpoint, ClientIdent ident, Duration timeout) {
        this.endpoint = endpoint;
        this.ident = ident;
        this.timeout = timeout;
    }

    /**
     * One transaction: DSPAM processes the mail for {@code user} with the arguments
     * {@code mode}. Throws a {@link DspamException} (or another IOException) saying what
     * went wrong: cannot connect, refused, cut off, no answer within the timeout.
     */
    DspamAnswer exchange(String mode, String user, LmtpConnection.MailSource mail) throws IOException {
        try (ExchangeTimer timer = ExchangeTimer.start(timeout)) {
            LmtpConnection kept = takeIdle();
            if (kept != null) {
                try {
                    return transaction(kept, timer, mode, user, mail, true);
                } catch (DspamException.Stale e) {
                    log.debug("DSPAM at {}: {}; connecting anew", endpoint, e.getMessage());
                }
            }
            LmtpConnection fresh;
            try {
                fresh = LmtpConnection.open(endpoint, ident, timer);
            } catch (IOException e) {
                throw timer.expired() ? late(timer, e) : e;
            }
            synchronized (this) {
                opened++;
            }
            return transaction(fresh, timer, mode, user, mail, false);
        }
    }

    private DspamAnswer transaction(LmtpConnection c, ExchangeTimer timer, String mode, String user, LmtpConnection.MailSource mail,
                                    boolean reused) throws IOException {
        timer.watch(c);
        try {
            DspamAnswer answer = c.transaction(ident, mode, user, mail, reused);
            giveBack(c);
            return answer;
        } catch (DspamException.Stale e) {
            c.close();
            throw e;
        } catch (IOException e) {
            c.close();
            throw timer.expired() ? late(timer, e) : e;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private static DspamException late(ExchangeTimer timer, IOException e) {
        return new DspamException("no complete answer within " + HumanDuration.format(timer.limit()), e);
    }

    private LmtpConnection takeIdle() {
        List<LmtpConnection> old = new ArrayList<>();
        LmtpConnection found = null;
        synchronized (this) {
            while (found == null && !idle.isEmpty()) {
                LmtpConnection c = idle.pollLast(); // the most recently used: the likeliest to be alive
                if (c.idleNanos() < IDLE_LIMIT.toNanos()) found = c;
                else old.add(c);
            }
        }
        old.forEach(LmtpConnection::close);
        return found;
    }

    private void giveBack(LmtpConnection c) {
        List<LmtpConnection> old = new ArrayList<>();
        boolean keep;
        synchronized (this) {
            while (!idle.isEmpty() && idle.peekFirst().idleNanos() >= IDLE_LIMIT.toNanos()) old.add(idle.pollFirst());
            keep = !closed && idle.size() < IDLE_CONNECTIONS;
            if (keep) idle.addLast(c);
        }
        old.forEach(LmtpConnection::close);
        if (!keep) c.close();
    }

    /** Connections opened so far (for tests and the log). */
    synchronized long opened() {
        return opened;
    }

    synchronized int idleCount() {
        return idle.size();
    }

    DspamEndpoint endpoint() {
        return endpoint;
    }

    /** Closes the kept connections; an exchange under way finishes, and its connection is closed then. */
    @Override
    public void close() {
        List<LmtpConnection> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(idle);
            idle.clear();
        }
        all.forEach(LmtpConnection::close);
    }
}
