package org.decency.doorman;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * The socket layer: Linux's epoll through Netty's native transport where it loads
 * (it saves system calls and selector bookkeeping on every request), the JDK's NIO
 * selector everywhere else.
 */
record NettyTransport(String name, IoHandlerFactory ioHandler, Class<? extends ServerChannel> serverChannel) {

    /**
     * Options for accepted connections. Level-triggered epoll: a policy request fits in
     * one read, and edge-triggered mode would read once more just to see EAGAIN.
     */
    @SuppressWarnings("deprecation")
    void configureChildren(io.netty.bootstrap.ServerBootstrap b) {
        if (serverChannel == EpollServerSocketChannel.class) {
            b.childOption(io.netty.channel.epoll.EpollChannelOption.EPOLL_MODE, io.netty.channel.epoll.EpollMode.LEVEL_TRIGGERED);
        }
    }

    static NettyTransport best() {
        if (Epoll.isAvailable()) return new NettyTransport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
        return new NettyTransport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class);
    }
}
