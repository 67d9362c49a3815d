package io.github.glidesocket.core.internal.transport;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;

import io.github.glidesocket.core.internal.binding.UnixSocketBinder;

/**
 * Accepts on a thread of its own, blocked in {@code accept()}: for sockets whose connections run
 * on threads of their own. The thread is virtual when the manager uses virtual threads, a
 * platform daemon thread otherwise. Closing the channel ends the accept and the thread.
 */
final class ThreadAcceptor implements UnixSocketListener.Acceptor {

	private final UnixSocketListener listener;

	private final ThreadFactory threads;

	ThreadAcceptor(UnixSocketListener listener, ThreadFactory threads) {
		this.listener = listener;
		this.threads = threads;
	}

	@Override
	public void start(ServerSocketChannel server) {
		Thread thread = this.threads.newThread(() -> acceptLoop(server));
		thread.start();
	}

	@Override
	public void stop(ServerSocketChannel server) {
		// The JDK wakes a thread blocked in accept() with an AsynchronousCloseException.
		UnixSocketBinder.closeQuietly(server);
	}

	private void acceptLoop(ServerSocketChannel server) {
		Throwable ended = null;
		try {
			while (server.isOpen()) {
				SocketChannel channel;
				try {
					channel = server.accept();
				}
				catch (ClosedChannelException ex) {
					return;
				}
				catch (IOException | RuntimeException ex) {
					if (!server.isOpen()) {
						return;
					}
					this.listener.acceptFailed(ex);
					LockSupport.parkNanos(UnixSocketListener.ACCEPT_FAILURE_PAUSE_NANOS);
					continue;
				}
				this.listener.serve(channel);
			}
		}
		catch (Throwable ex) {
			// Reported below; the thread then ends.
			ended = ex;
		}
		finally {
			UnixSocketBinder.closeQuietly(server);
			if (ended != null) {
				this.listener.acceptStopped(ended);
			}
		}
	}

}
