package io.github.glidesocket.core.internal.registry;

import java.lang.ref.WeakReference;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.github.glidesocket.core.SocketStop;

/**
 * The stop notice of one reference ({@link io.github.glidesocket.core.SocketReference#whenStopping()}):
 * the future the manager completes, the stage its holder sees (which the holder cannot
 * complete), and the weak registration through which the generation finds the future.
 * <p>
 * The reference holds this object; the generation holds only {@link #registration}. The
 * holder's actions hang on the future, and usually reach the holder, which reaches the
 * reference: were the generation to hold the future strongly, a reference that its holder
 * dropped without closing could never be collected, and leak detection would never release it.
 */
final class StopNotice {

	final CompletableFuture<SocketStop> future = new CompletableFuture<>();

	final CompletionStage<SocketStop> stage = this.future.minimalCompletionStage();

	final WeakReference<CompletableFuture<SocketStop>> registration = new WeakReference<>(this.future);

}
