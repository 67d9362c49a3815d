package io.github.glidesocket.core.internal.registry;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.glidesocket.core.SocketPool;
import io.github.glidesocket.core.SocketReference;

/**
 * The {@link SocketPool} of a {@link DefaultSocketManager}: member paths and a turn counter.
 * <p>
 * {@link #acquire()} reads each member's count from the registry (a map read and the count's
 * words, no snapshot), starting at the member whose turn it is, keeps the first member with the
 * fewest references (stopping at the first with none) and calls
 * {@link DefaultSocketManager#getOrCreate(String)} on it. Starting each scan one member further
 * than the last makes members with equal counts take turns. Nothing is locked: the count read
 * may be out of date by the time the reference is acquired, which only affects the spread.
 */
final class BalancedSocketPool implements SocketPool {

	private final DefaultSocketManager manager;

	private final String basePath;

	private final List<String> memberPaths;

	private final AtomicInteger turn = new AtomicInteger();

	BalancedSocketPool(DefaultSocketManager manager, String basePath, List<String> memberPaths) {
		this.manager = manager;
		this.basePath = basePath;
		this.memberPaths = List.copyOf(memberPaths);
	}

	@Override
	public String basePath() {
		return this.basePath;
	}

	@Override
	public int size() {
		return this.memberPaths.size();
	}

	@Override
	public List<String> memberPaths() {
		return this.memberPaths;
	}

	@Override
	public int referenceCount(int member) {
		Objects.checkIndex(member, this.memberPaths.size());
		return this.manager.referenceCountOf(this.memberPaths.get(member));
	}

	@Override
	public SocketReference acquire() {
		return this.manager.getOrCreate(this.memberPaths.get(choose()));
	}

	/**
	 * The index of the member to acquire next.
	 */
	int choose() {
		int size = this.memberPaths.size();
		int start = Math.floorMod(this.turn.getAndIncrement(), size);
		int chosen = start;
		int fewest = this.manager.referenceCountOf(this.memberPaths.get(start));
		for (int step = 1; step < size && fewest > 0; step++) {
			int member = (start + step) % size;
			int count = this.manager.referenceCountOf(this.memberPaths.get(member));
			if (count < fewest) {
				chosen = member;
				fewest = count;
			}
		}
		return chosen;
	}

	@Override
	public String toString() {
		return "SocketPool[basePath=" + this.basePath + ", size=" + this.memberPaths.size() + "]";
	}

}
