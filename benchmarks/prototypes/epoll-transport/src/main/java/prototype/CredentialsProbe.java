package prototype;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.PeerCredentials;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * What each transport tells about a peer, what one credentials read costs, and whether it binds
 * an abstract-namespace name. Prints a report; {@code java -cp ... prototype.CredentialsProbe [CALLS]}.
 */
public final class CredentialsProbe {

	private CredentialsProbe() {
	}

	public static void main(String[] args) throws Exception {
		int calls = (args.length > 0) ? Integer.parseInt(args[0]) : 100_000;
		Path directory = Files.createTempDirectory("probe");
		Path jdkPath = directory.resolve("jdk.sock");
		Path nettyPath = directory.resolve("netty.sock");
		try (ServerSocketChannel jdkServer = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			jdkServer.bind(UnixDomainSocketAddress.of(jdkPath));
			SocketChannel jdkClient = SocketChannel.open(UnixDomainSocketAddress.of(jdkPath));
			SocketChannel jdkAccepted = jdkServer.accept();

			CompletableFuture<EpollDomainSocketChannel> nettyAccepted = new CompletableFuture<>();
			EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
			Channel nettyServer = new ServerBootstrap().group(group)
				.channel(EpollServerDomainSocketChannel.class)
				.childHandler(new ChannelInitializer<EpollDomainSocketChannel>() {

					@Override
					protected void initChannel(EpollDomainSocketChannel channel) {
						nettyAccepted.complete(channel);
					}

				})
				.bind(new DomainSocketAddress(nettyPath.toString()))
				.sync()
				.channel();
			SocketChannel nettyClient = SocketChannel.open(UnixDomainSocketAddress.of(nettyPath));
			EpollDomainSocketChannel netty = nettyAccepted.get();

			UnixDomainPrincipal principal = jdkAccepted.getOption(ExtendedSocketOptions.SO_PEERCRED);
			System.out.println("JDK SO_PEERCRED:   user=" + principal.user().getName() + " group="
					+ principal.group().getName() + " (no pid, no numeric ids)");
			System.out.println("Netty SO_PEERCRED: " + netty.eventLoop().submit(netty::peerCredentials).get()
					+ " (this process: pid " + ProcessHandle.current().pid() + ")");

			for (int round = 1; round <= 3; round++) {
				long start = System.nanoTime();
				for (int i = 0; i < calls; i++) {
					jdkAccepted.getOption(ExtendedSocketOptions.SO_PEERCRED);
				}
				double jdkMicros = (System.nanoTime() - start) / 1000.0 / calls;
				double nettyMicros = netty.eventLoop().submit(() -> {
					long nettyStart = System.nanoTime();
					for (int i = 0; i < calls; i++) {
						PeerCredentials peer = netty.peerCredentials();
						if (peer.uid() < 0) {
							throw new IllegalStateException();
						}
					}
					return (System.nanoTime() - nettyStart) / 1000.0 / calls;
				}).get();
				System.out.printf("round %d: one credentials read: JDK %.2f us, Netty %.2f us (%d calls each)%n", round,
						jdkMicros, nettyMicros, calls);
			}

			try (ServerSocketChannel abstractJdk = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
				abstractJdk.bind(UnixDomainSocketAddress.of("\0glide-probe"));
				System.out.println("JDK abstract bind: bound to " + abstractJdk.getLocalAddress());
			}
			catch (Exception ex) {
				System.out.println("JDK abstract bind: " + ex);
			}
			Channel abstractNetty = new ServerBootstrap().group(group)
				.channel(EpollServerDomainSocketChannel.class)
				.childHandler(new ChannelInitializer<EpollDomainSocketChannel>() {

					@Override
					protected void initChannel(EpollDomainSocketChannel channel) {
					}

				})
				.bind(new DomainSocketAddress("\0glide-probe"))
				.sync()
				.channel();
			boolean inProcNet = Files.readAllLines(Path.of("/proc/net/unix")).stream().anyMatch((line) -> line.endsWith("@glide-probe"));
			System.out.println("Netty abstract bind: bound (listed in /proc/net/unix as @glide-probe: " + inProcNet + ")");
			abstractNetty.close().sync();
			jdkClient.close();
			nettyClient.close();
			jdkAccepted.close();
			nettyServer.close().sync();
			group.shutdownGracefully().sync();
		}
		finally {
			Files.deleteIfExists(jdkPath);
			Files.deleteIfExists(nettyPath);
			Files.deleteIfExists(directory);
		}
	}

}
