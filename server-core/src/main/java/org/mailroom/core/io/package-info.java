/**
 * Durable file operations shared by the mail store and the queue: group-committed directory
 * fsyncs ({@link org.mailroom.core.io.DirectorySync}). Everything here blocks and runs on the
 * blocking executor or a queue thread, never on an event loop.
 */
package org.mailroom.core.io;
