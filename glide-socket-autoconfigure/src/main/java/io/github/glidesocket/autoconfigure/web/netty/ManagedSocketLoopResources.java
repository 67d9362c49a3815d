package io.github.glidesocket.autoconfigure.web.netty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

import io.github.glidesocket.autoconfigure.web.WebServerSocket;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.unix.ServerDomainSocketChannel;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

/**
 * The event loops of the server on the web socket: Netty's NIO loops (the children are JDK
 * channels), whose server channel for a domain socket address is a
 * {@link ManagedSocketServerChannel}. Owned by the application context: disposed when it closes,
 * after the server has stopped.
 */
final class ManagedSocketLoopResources implements LoopResources {

	private final LoopResources loops;

	private final WebServerSocket socket;

	ManagedSocketLoopResources(WebServerSocket socket) {
		this.socket = socket;
		this.loops = LoopResources.create("glide-socket-web", 1, DEFAULT_IO_WORKER_COUNT, true);
	}

	/**
	 * The server channel for the web socket, where Reactor Netty asks for a server domain socket
	 * channel. It is no {@link ServerDomainSocketChannel} (that type is Netty's native
	 * transports' own), which Reactor Netty never checks: it only binds and reads it as a
	 * {@link io.netty.channel.ServerChannel}.
	 */
	@Override
	@SuppressWarnings("unchecked")
	public <C extends Channel> C onChannel(Class<C> channelType, EventLoopGroup group) {
		if (channelType == ServerDomainSocketChannel.class) {
			try {
				return (C) ManagedSocketServerChannel.open(this.socket);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return this.loops.onChannel(channelType, group);
	}

	@Override
	public <C extends Channel> Class<? extends C> onChannelClass(Class<C> channelType, EventLoopGroup group) {
		return this.loops.onChannelClass(channelType, group);
	}

	@Override
	public EventLoopGroup onServer(boolean useNative) {
		return this.loops.onServer(false);
	}

	@Override
	public EventLoopGroup onServerSelect(boolean useNative) {
		return this.loops.onServerSelect(false);
	}

	@Override
	public EventLoopGroup onClient(boolean useNative) {
		return this.loops.onClient(false);
	}

	@Override
	public boolean daemon() {
		return this.loops.daemon();
	}

	@Override
	public boolean isDisposed() {
		return this.loops.isDisposed();
	}

	@Override
	public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
		return this.loops.disposeLater(quietPeriod, timeout);
	}

	/**
	 * Stop the loops once the server is stopped: no quiet period, as nothing is left to run.
	 */
	void destroy() {
		this.loops.disposeLater(Duration.ZERO, Duration.ofSeconds(DEFAULT_SHUTDOWN_TIMEOUT)).block();
	}

}
