package io.github.glidesocket.core.internal.transport;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.glidesocket.core.internal.binding.UnixSocketBinder;

/**
 * Accepts on the manager's acceptor loop, for every socket in either connection mode: the server
 * channel is registered with its selector for {@code OP_ACCEPT}, so a bound socket costs no
 * thread, and the connections queued at a handover are accepted on the loop before the channel
 * closes. Each wake-up accepts what is waiting, up to a batch, so one busy socket cannot hold
 * the loop; the loops that serve the batch's connections are woken once, when it ends. After a
 * failed accept (out of descriptors) the channel stops asking to accept for a pause.
 */
final class LoopAcceptor {

	private static final int BATCH = 64;

	private final UnixSocketListener listener;

	private final EventLoops loops;

	private final ScheduledExecutorService scheduler;

	/** The loops given connections in the batch being accepted; acceptor loop only. */
	private final LoopWakeUps wakeUps = LoopWakeUps.deferred();

	/** The loop each open server channel is registered with. */
	private final Map<ServerSocketChannel, EventLoop> registered = new ConcurrentHashMap<>();

	LoopAcceptor(UnixSocketListener listener, EventLoops loops, ScheduledExecutorService scheduler) {
		this.listener = listener;
		this.loops = loops;
		this.scheduler = scheduler;
	}

	/**
	 * Start accepting on a server channel. Any thread.
	 */
	void start(ServerSocketChannel server) {
		EventLoop loop = this.loops.acceptor();
		try {
			server.configureBlocking(false);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot accept on '" + this.listener.path() + "'", ex);
		}
		this.registered.put(server, loop);
		loop.execute(() -> register(loop, server));
	}

	private void register(EventLoop loop, ServerSocketChannel server) {
		if (!server.isOpen()) {
			return;
		}
		try {
			server.register(loop.selector(), SelectionKey.OP_ACCEPT, new AcceptHandler(loop));
		}
		catch (IOException ex) {
			// Closed meanwhile by a stop.
			UnixSocketBinder.closeQuietly(server);
		}
	}

	private void accept(EventLoop loop, SelectionKey key) {
		try {
			acceptBatch(loop, key);
		}
		finally {
			this.wakeUps.wakeAll();
		}
	}

	private void acceptBatch(EventLoop loop, SelectionKey key) {
		ServerSocketChannel server = (ServerSocketChannel) key.channel();
		for (int i = 0; i < BATCH && key.isValid() && this.listener.isAccepting(); i++) {
			SocketChannel channel;
			try {
				channel = server.accept();
			}
			catch (IOException | RuntimeException ex) {
				if (!server.isOpen()) {
					return;
				}
				this.listener.acceptFailed(ex);
				pause(loop, key);
				return;
			}
			if (channel == null) {
				return;
			}
			this.listener.serve(channel, this.wakeUps);
		}
	}

	/**
	 * Stop asking to accept for a while, so running out of descriptors does not spin the loop.
	 */
	private void pause(EventLoop loop, SelectionKey key) {
		if (!setInterest(key, 0)) {
			// Stopped meanwhile: a cancelled key takes no interest.
			return;
		}
		Runnable resume = () -> loop.execute(() -> {
			setInterest(key, SelectionKey.OP_ACCEPT);
		});
		try {
			this.scheduler.schedule(resume, UnixSocketListener.ACCEPT_FAILURE_PAUSE_NANOS, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// The manager is closing.
		}
	}

	/**
	 * Accept on the loop the channel is registered with, so no accept of the loop's runs at the
	 * same time, until the queue is empty. Each turn takes at most a batch and then gives the loop
	 * back to its other work (the other sockets' accepts), and the whole takes at most what the
	 * queue can hold ({@link io.github.glidesocket.core.SocketOptions#backlog()}): everything
	 * queued when the file was taken over fits in it, and connections that keep arriving (a flood
	 * through another way to the channel) cannot hold the handover.
	 */
	CompletableFuture<Void> acceptQueued(ServerSocketChannel server) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		EventLoop loop = this.registered.get(server);
		if (loop == null) {
			done.complete(null);
			return done;
		}
		loop.execute(new QueueDrain(loop, server, this.listener.backlog(), done));
		return done;
	}

	/**
	 * Accepts what is queued on a channel in turns of a batch, each a task of the loop.
	 */
	private final class QueueDrain implements Runnable {

		private final EventLoop loop;

		private final ServerSocketChannel server;

		private final CompletableFuture<Void> done;

		private int left;

		QueueDrain(EventLoop loop, ServerSocketChannel server, int limit, CompletableFuture<Void> done) {
			this.loop = loop;
			this.server = server;
			this.left = limit;
			this.done = done;
		}

		@Override
		public void run() {
			try {
				if (acceptTurn()) {
					// More may be queued: the loop serves its other channels before the next turn.
					this.loop.executeNextRound(this);
					return;
				}
			}
			catch (IOException | RuntimeException ex) {
				// Closed by a stop meanwhile, or out of descriptors: what is left is reset.
			}
			finally {
				LoopAcceptor.this.wakeUps.wakeAll();
			}
			this.done.complete(null);
		}

		/**
		 * @return whether another turn is due
		 */
		private boolean acceptTurn() throws IOException {
			for (int i = 0; i < BATCH; i++) {
				if (this.left <= 0) {
					return false;
				}
				SocketChannel channel = this.server.accept();
				if (channel == null) {
					return false;
				}
				this.left--;
				LoopAcceptor.this.listener.serve(channel, LoopAcceptor.this.wakeUps);
			}
			return true;
		}

	}

	/**
	 * Set a key's interest unless a stop on another thread cancelled it.
	 * @return whether the key took it
	 */
	private static boolean setInterest(SelectionKey key, int ops) {
		try {
			key.interestOps(ops);
			return true;
		}
		catch (CancelledKeyException ex) {
			return false;
		}
	}

	/**
	 * Accepts on a server channel when the loop finds it ready, and tells the listener if the
	 * loop ends under it.
	 */
	private final class AcceptHandler implements SelectionHandler {

		private final EventLoop loop;

		AcceptHandler(EventLoop loop) {
			this.loop = loop;
		}

		@Override
		public void ready(SelectionKey key) {
			accept(this.loop, key);
		}

		@Override
		public void loopFailed(Throwable failure) {
			LoopAcceptor.this.listener.acceptStopped(failure);
		}

	}

	/**
	 * Stop accepting on a server channel and close it; returns without waiting. Any thread.
	 */
	void stop(ServerSocketChannel server) {
		// Closing cancels the key; the loop releases the descriptor at its next select, so wake it.
		UnixSocketBinder.closeQuietly(server);
		EventLoop loop = this.registered.remove(server);
		if (loop != null) {
			loop.execute(() -> {
			});
		}
	}

}
