package dev.simmer.benchmarks;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The echo workload on Netty: NIO transport, one event loop with one thread for the server
 * channel, its child channels and the client channels. The server writes each buffer it
 * reads back and flushes when a read burst ends; each client sends a retained duplicate of
 * one pooled direct buffer and counts the echoed bytes, sending the next message when the
 * whole echo has arrived; or, for {@link ShardedEcho}, the clients on that loop and the server
 * on a group of its own with several threads. Thread-safe: the benchmark thread only hands
 * work to the loops.
 */
final class NettyEcho implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup serverGroup; // the clients' group, or one of its own
    private final Channel server;
    private final List<Client> clients = new ArrayList<>();
    private final ByteBuf message;

    NettyEcho(int connections, int size) throws Exception {
        this(connections, size, 0);
    }

    /** {@code serverThreads} 0: the server shares the clients' event loop; else a group of that many threads. */
    NettyEcho(int connections, int size, int serverThreads) throws Exception {
        serverGroup = serverThreads == 0 ? group : new MultiThreadIoEventLoopGroup(serverThreads, NioIoHandler.newFactory());
        byte[] bytes = Echo.message(size);
        message = PooledByteBufAllocator.DEFAULT.directBuffer(size).writeBytes(bytes);
        server = new ServerBootstrap()
                .group(serverGroup)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new EchoHandler())
                .bind("127.0.0.1", 0).sync().channel();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true);
        for (int i = 0; i < connections; i++) {
            Client client = new Client(message, bytes[size - 1]);
            bootstrap.handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(client);
                }
            });
            client.channel = bootstrap.connect(server.localAddress()).sync().channel();
            clients.add(client);
        }
    }

    /** Every client sends {@code rounds} messages, one at a time, and reads each echo; returns the bytes echoed. */
    long exchange(int rounds) throws Exception {
        CompletableFuture<Long> done = new CompletableFuture<>();
        group.next().execute(() -> {
            Countdown all = new Countdown(clients.size(), done);
            for (Client c : clients) {
                c.start(rounds, all);
            }
        });
        return done.get();
    }

    @Override
    public void close() throws Exception {
        for (Client c : clients) {
            c.channel.close().sync();
        }
        server.close().sync();
        group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).sync();
        if (serverGroup != group) {
            serverGroup.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
        message.release();
    }

    /** The server side: what arrives goes back. */
    @ChannelHandler.Sharable
    private static final class EchoHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }

    /** Counts clients still running; completes the invocation when the last one ends. Event-loop thread only. */
    private static final class Countdown {
        private int left;
        private long bytes;
        private final CompletableFuture<Long> done;

        Countdown(int clients, CompletableFuture<Long> done) {
            this.left = clients;
            this.done = done;
        }

        void finished(long echoed) {
            bytes += echoed;
            if (--left == 0) {
                done.complete(bytes);
            }
        }
    }

    /** One client connection: sends the message, counts the echo, repeats. Event-loop thread only. */
    private static final class Client extends ChannelInboundHandlerAdapter {
        private final ByteBuf message;
        private final int size;
        private final byte last;
        Channel channel;
        private int roundsLeft;
        private int received;
        private long echoed;
        private Countdown countdown;

        Client(ByteBuf message, byte last) {
            this.message = message;
            this.size = message.readableBytes();
            this.last = last;
        }

        void start(int rounds, Countdown all) {
            roundsLeft = rounds;
            echoed = 0;
            countdown = all;
            send();
        }

        private void send() {
            channel.writeAndFlush(message.retainedDuplicate(), channel.voidPromise());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                int n = in.readableBytes();
                received += n;
                if (received == size) {
                    Echo.check(in.getByte(in.writerIndex() - 1), last);
                }
            } finally {
                in.release();
            }
            if (received < size) {
                return;
            }
            if (received > size) {
                throw new IllegalStateException("the echo brought back " + received + " bytes for a message of " + size);
            }
            received = 0;
            echoed += size;
            if (--roundsLeft > 0) {
                send();
            } else {
                countdown.finished(echoed);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (countdown != null) {
                countdown.done.completeExceptionally(cause);
            }
            ctx.close();
        }
    }
}
