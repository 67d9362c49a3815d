package io.github.glidesocket.core.internal.transport;

import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.glidesocket.core.ChannelConnection;
import io.github.glidesocket.core.PeerCredentials;
import io.github.glidesocket.core.internal.binding.UnixSocketBinder;

/**
 * One admitted connection whose channel a {@link io.github.glidesocket.core.SocketChannelHandler}
 * serves. It holds its slot in the listener until the server reports it closed, or until the
 * socket's stop deadline closes it. A graceful stop asks nothing of it: the server that serves it
 * finishes its connections by its own stop; the socket only waits for them.
 */
final class HandedOffConnection extends ConnectionIdentity implements ChannelConnection, ServedConnection {

	private final SocketChannel channel;

	private final UnixSocketListener listener;

	private final AtomicBoolean ended = new AtomicBoolean();

	HandedOffConnection(long id, String path, SocketChannel channel, PeerCredentials peer,
			UnixSocketListener listener) {
		super("ChannelConnection", id, path, peer);
		this.channel = channel;
		this.listener = listener;
	}

	@Override
	public SocketChannel channel() {
		return this.channel;
	}

	@Override
	public void closed() {
		if (this.ended.compareAndSet(false, true)) {
			UnixSocketBinder.closeQuietly(this.channel);
			this.listener.connectionEnded(this);
		}
	}

	@Override
	public void signalShutdown() {
	}

	/**
	 * The deadline of a stop: close the channel under the server and give the slot back, as the
	 * server may never notice a channel closed under its selector.
	 */
	@Override
	public void forceClose() {
		closed();
	}

}
