/**
 * Internal: listeners, accept loops, connections and event loops, the serving side of a bound
 * socket. Not an API; it may change in any release.
 */
@NullMarked
package io.github.glidesocket.core.internal.transport;

import org.jspecify.annotations.NullMarked;
