package io.github.glidesocket.core.internal.registry;

import java.io.File;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletionStage;

import io.github.glidesocket.core.PeerCredentials;
import io.github.glidesocket.core.PeerPolicy;
import io.github.glidesocket.core.SocketReference;
import io.github.glidesocket.core.SocketStop;
import io.github.glidesocket.core.UntrustedServerException;
import io.github.glidesocket.core.internal.credentials.PeerCredentialsReader;
import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketCredentials;

/**
 * The {@link SocketReference} a {@link SocketGeneration} hands out: one slot of the generation's
 * count, released once, tracked for leaks unless tracking is off.
 */
final class CountedSocketReference implements SocketReference {

	private static final VarHandle CLOSED;

	private static final VarHandle NOTICE;

	static {
		try {
			CLOSED = MethodHandles.lookup().findVarHandle(CountedSocketReference.class, "closed", int.class);
			NOTICE = MethodHandles.lookup().findVarHandle(CountedSocketReference.class, "notice", StopNotice.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final SocketGeneration generation;

	/** Where the generation counts this reference (see {@link SocketGeneration#tryAcquire()}). */
	private final int slot;

	/** Holds the count and its release flag when leak detection is on; {@code null} when off. */
	private final LeakTracker.@Nullable Tracked tracked;

	/** The release flag when leak detection is off. */
	@SuppressWarnings("unused") // written through CLOSED
	private volatile int closed;

	/** Created by the first {@link #whenStopping()}; written through NOTICE. */
	private volatile @Nullable StopNotice notice;

	/** The stop this reference saw before it was closed, read by its first close. */
	private volatile @Nullable SocketStop stopBeforeClose;

	CountedSocketReference(SocketGeneration generation, int slot, LeakTracker leaks) {
		this.generation = generation;
		this.slot = slot;
		this.tracked = leaks.track(generation, slot, this);
	}

	@Override
	public String path() {
		return this.generation.path();
	}

	@Override
	public boolean isActive() {
		return !isClosed() && this.generation.isServing();
	}

	@Override
	public int referenceCount() {
		return this.generation.referenceCount();
	}

	@Override
	public CompletionStage<SocketStop> whenStopping() {
		StopNotice existing = this.notice;
		if (existing != null) {
			return existing.stage;
		}
		StopNotice created = this.generation.newStopNotice(!isClosed());
		existing = (StopNotice) NOTICE.compareAndExchange(this, null, created);
		if (existing != null) {
			this.generation.forgetStopNotice(created);
			return existing.stage;
		}
		if (isClosed()) {
			// Closed meanwhile: close() sets its flag before it looks for the notice, this method
			// publishes the notice before it reads the flag, so one of the two forgets it.
			this.generation.forgetStopNotice(created);
			SocketStop seen = this.stopBeforeClose;
			if (seen != null) {
				// The stop began while this reference was open: its holder hears of it, whenever it asks.
				this.generation.completeStopNotice(created, seen);
			}
		}
		return created.stage;
	}

	@Override
	public SocketReference retain() {
		if (isClosed()) {
			throw new IllegalStateException("Cannot retain a closed SocketReference to '" + path() + "'");
		}
		SocketReference retained = this.generation.tryNewReference();
		if (retained == null) {
			throw new IllegalStateException("Cannot retain a SocketReference to '" + path()
					+ "': the socket was stopped (reference count 0)");
		}
		return retained;
	}

	@Override
	public SocketChannel openChannel() throws IOException {
		checkActive();
		SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(path()));
		try {
			checkServer(PeerCredentialsReader.read(channel));
			return channel;
		}
		catch (Throwable ex) {
			// The server policy is the application's code: whatever it throws, the channel is closed.
			channel.close();
			throw ex;
		}
	}

	@Override
	public AFUNIXSocket connect() throws IOException {
		checkActive();
		AFUNIXSocket socket = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(new File(path())));
		try {
			AFUNIXSocketCredentials credentials = socket.getPeerCredentials();
			long[] gids = credentials.getGids();
			checkServer(new PeerCredentials(credentials.getPid(), credentials.getUid(), credentials.getGid(),
					(gids != null) ? gids : new long[] { credentials.getGid() }));
			return socket;
		}
		catch (Throwable ex) {
			socket.close();
			throw ex;
		}
	}

	/**
	 * The file at the path may have been replaced by another process's socket: talk only to a
	 * server the socket's server policy allows.
	 */
	private void checkServer(PeerCredentials server) throws UntrustedServerException {
		PeerPolicy policy = this.generation.options().serverPolicy();
		if (!policy.allows(server)) {
			throw new UntrustedServerException(path(), server, policy);
		}
	}

	private void checkActive() {
		if (!isActive()) {
			throw new IllegalStateException("Cannot connect through an inactive SocketReference to '" + path() + "'");
		}
	}

	/**
	 * Release this reference; the last one closes the socket and removes its file. Calling it
	 * again does nothing.
	 */
	@Override
	public void close() {
		try {
			// Read before the release: a stop that began before this close was seen while open.
			SocketStop seen = this.generation.stopped();
			LeakTracker.Tracked tracking = this.tracked;
			boolean released;
			if (tracking != null) {
				released = tracking.release();
			}
			else {
				released = CLOSED.compareAndSet(this, 0, 1);
				if (released) {
					this.generation.release(this.slot);
				}
			}
			if (released && seen != null) {
				this.stopBeforeClose = seen;
			}
			StopNotice asked = this.notice;
			if (asked != null) {
				this.generation.forgetStopNotice(asked);
			}
		}
		finally {
			// Keep this handle reachable until the release is done, so the leak tracker cannot
			// mistake it for a leak half-way through.
			Reference.reachabilityFence(this);
		}
	}

	private boolean isClosed() {
		LeakTracker.Tracked tracking = this.tracked;
		return (tracking != null) ? tracking.isReleased() : this.closed != 0;
	}

	LeakTracker.@Nullable Tracked tracked() {
		return this.tracked;
	}

	SocketGeneration generation() {
		return this.generation;
	}

	@Override
	public String toString() {
		return "SocketReference[path=" + path() + ", active=" + isActive() + ", references=" + referenceCount() + "]";
	}

}
