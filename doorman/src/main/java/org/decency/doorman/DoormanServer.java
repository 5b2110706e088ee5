package org.decency.doorman;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.decency.pipeline.Pipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Doorman: a Postfix policy-delegation server ({@code check_policy_service}) on
 * Netty. Many requests per connection, thousands of persistent connections; each
 * request runs the {@link Pipeline} and is answered {@code action=...}.
 */
public final class DoormanServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DoormanServer.class);

    private final DoormanSettings settings;
    private final Pipeline pipeline;
    private final Clock clock;
    private final ExecutorService blockingExecutor;
    private final ScoreForwarder forwarder;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel channel;

    public DoormanServer(DoormanSettings settings, Pipeline pipeline, Clock clock, ExecutorService blockingExecutor) {
        this(settings, pipeline, clock, blockingExecutor, ScoreForwarder.unsigned());
    }

    /** @param forwarder signs the instance header and leaves the findings in the store for the Detective */
    public DoormanServer(DoormanSettings settings, Pipeline pipeline, Clock clock, ExecutorService blockingExecutor,
                         ScoreForwarder forwarder) {
        this.forwarder = forwarder;
        this.settings = settings;
        this.pipeline = pipeline;
        this.clock = clock;
        this.blockingExecutor = blockingExecutor;
    }

    /** Binds and starts serving; returns once the port is open. */
    public DoormanServer start() throws InterruptedException {
        NettyTransport transport = NettyTransport.best();
        boss = new MultiThreadIoEventLoopGroup(1, transport.ioHandler());
        workers = new MultiThreadIoEventLoopGroup(settings.instances(), transport.ioHandler());
        PolicyTransactions transactions = new PolicyTransactions(pipeline.settings().recipientDelimiter());
        PolicyReply reply = new PolicyReply(settings.disablePrepend(), forwarder);
        PolicyLimits limits = settings.limits();
        var executor = pipeline.blocking() ? blockingExecutor : null;
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        PolicyRequestDecoder decoder = new PolicyRequestDecoder(limits);
                        ch.pipeline()
                                .addLast(new IdleStateHandler(limits.requestTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS))
                                .addLast(decoder)
                                .addLast(new PolicyHandler(pipeline, transactions, reply, forwarder, clock, executor, decoder, limits));
                    }
                });
        transport.configureChildren(b);
        channel = b.bind(new InetSocketAddress(settings.host(), settings.port())).sync().channel();
        log.info("doorman listening on {}:{} ({}) with {} worker threads and {} modules: {}; instance header {}", settings.host(), port(),
                transport.name(), settings.instances(), pipeline.modules().size(),
                pipeline.modules().stream().map(m -> m.name()).toList(), forwarder.describe());
        return this;
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Blocks until the server is closed. */
    public void awaitClose() throws InterruptedException {
        channel.closeFuture().sync();
    }

    @Override
    public void close() {
        if (channel != null) channel.close().syncUninterruptibly();
        if (boss != null) boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (workers != null) workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
