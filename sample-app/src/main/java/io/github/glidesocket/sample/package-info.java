/**
 * A Redis-protocol key-value service served over a glide-socket managed socket.
 */
@NullMarked
package io.github.glidesocket.sample;

import org.jspecify.annotations.NullMarked;
