package prototype;

import java.nio.charset.StandardCharsets;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.PeerCredentials;

/**
 * A RESP2 server on Netty's epoll domain-socket channels that does what a glide-socket listener
 * must do for every connection: read the peer's credentials (here with the pid, and without
 * name lookups) and refuse peers of another user. One acceptor loop and N I/O loops, as the
 * event-loop mode of glide-socket.
 *
 * <pre>
 * java -cp ... prototype.EpollDomainServer PATH [LOOPS]        a socket file
 * java -cp ... prototype.EpollDomainServer @NAME [LOOPS]       an abstract-namespace socket
 * java -cp ... prototype.EpollDomainServer fd:3 [LOOPS]        a listening socket inherited from
 *                                                              systemd (LISTEN_FDS), or any fd
 * </pre>
 */
public final class EpollDomainServer {

	private static final long OWN_UID = ownUid();

	private EpollDomainServer() {
	}

	public static void main(String[] args) throws Exception {
		Epoll.ensureAvailability();
		String where = args[0];
		int loops = (args.length > 1) ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
		EventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
		EventLoopGroup workers = new MultiThreadIoEventLoopGroup(loops, EpollIoHandler.newFactory());
		ServerBootstrap bootstrap = new ServerBootstrap().group(acceptor, workers)
			.childHandler(new ChannelInitializer<EpollDomainSocketChannel>() {

				@Override
				protected void initChannel(EpollDomainSocketChannel channel) throws Exception {
					// Every peer is checked, as glide-socket must: SO_PEERCRED, numbers only.
					PeerCredentials peer = channel.peerCredentials();
					if (peer.uid() != OWN_UID) {
						channel.close();
						return;
					}
					if (Boolean.getBoolean("prototype.printPeers")) {
						System.out.println("peer " + peer);
					}
					channel.pipeline().addLast(new PingHandler());
				}

			});
		Channel server;
		if (where.startsWith("fd:")) {
			// Already bound and listening (systemd passes LISTEN_FDS from fd 3): active at once.
			int fd = Integer.parseInt(where.substring(3));
			server = bootstrap.channelFactory(() -> new EpollServerDomainSocketChannel(fd, true)).register().sync().channel();
		}
		else {
			// Netty names an abstract-namespace address by a leading NUL.
			String path = where.startsWith("@") ? "\0" + where.substring(1) : where;
			server = bootstrap.channel(EpollServerDomainSocketChannel.class).bind(new DomainSocketAddress(path))
				.sync()
				.channel();
		}
		System.out.println("listening on " + where + " with " + loops + " loops, own uid " + OWN_UID);
		server.closeFuture().sync();
	}

	private static long ownUid() {
		try {
			return ((Number) java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:uid"))
				.longValue();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Answers every complete RESP2 request in what was read, all replies of one read in one
	 * write: PING gets PONG, CONFIG an empty array, SET OK, anything else a null bulk string.
	 */
	static final class PingHandler extends ChannelInboundHandlerAdapter {

		private static final byte[] PONG = "+PONG\r\n".getBytes(StandardCharsets.US_ASCII);

		private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);

		private static final byte[] EMPTY = "*0\r\n".getBytes(StandardCharsets.US_ASCII);

		private static final byte[] NULL = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);

		private ByteBuf pending;

		private ByteBuf replies;

		@Override
		public void channelRead(ChannelHandlerContext context, Object message) {
			ByteBuf input = (ByteBuf) message;
			if (this.pending != null) {
				this.pending.writeBytes(input);
				input.release();
				input = this.pending;
				this.pending = null;
			}
			int request;
			while ((request = parse(input)) >= 0) {
				reply(context, request);
			}
			if (input.isReadable()) {
				this.pending = context.alloc().buffer(input.readableBytes() * 2).writeBytes(input);
			}
			input.release();
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext context) {
			if (this.replies != null) {
				context.writeAndFlush(this.replies);
				this.replies = null;
			}
		}

		@Override
		public void channelInactive(ChannelHandlerContext context) {
			if (this.pending != null) {
				this.pending.release();
				this.pending = null;
			}
		}

		private void reply(ChannelHandlerContext context, int command) {
			if (this.replies == null) {
				this.replies = context.alloc().buffer(256);
			}
			this.replies.writeBytes((command == 'P') ? PONG : (command == 'C') ? EMPTY : (command == 'S') ? OK : NULL);
		}

		/**
		 * Consume one complete request.
		 * @return the first letter of its command, or -1 if the input holds no complete request
		 */
		private static int parse(ByteBuf in) {
			int start = in.readerIndex();
			if (!in.isReadable() || in.getByte(start) != '*') {
				if (in.isReadable()) {
					in.skipBytes(in.readableBytes());
				}
				return -1;
			}
			int index = start + 1;
			int lineEnd = in.indexOf(index, in.writerIndex(), (byte) '\n');
			if (lineEnd < 0) {
				return -1;
			}
			int count = number(in, index, lineEnd - 1);
			index = lineEnd + 1;
			int first = -1;
			for (int i = 0; i < count; i++) {
				lineEnd = in.indexOf(index, in.writerIndex(), (byte) '\n');
				if (lineEnd < 0) {
					return -1;
				}
				int length = number(in, index + 1, lineEnd - 1);
				int dataStart = lineEnd + 1;
				if (in.writerIndex() < dataStart + length + 2) {
					return -1;
				}
				if (i == 0) {
					first = Character.toUpperCase(in.getByte(dataStart));
				}
				index = dataStart + length + 2;
			}
			in.readerIndex(index);
			return first;
		}

		private static int number(ByteBuf in, int from, int to) {
			int value = 0;
			for (int i = from; i < to; i++) {
				value = value * 10 + (in.getByte(i) - '0');
			}
			return value;
		}

	}

}
