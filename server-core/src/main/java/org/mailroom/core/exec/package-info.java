/**
 * Where blocking work runs. Netty event loops never touch the disk, fsync, resolve names or hash
 * passwords; such work goes to {@link org.mailroom.core.exec.BlockingExecutor} and the session
 * resumes on its own event loop with the result ({@link org.mailroom.core.exec.BlockingExecutor#call}).
 */
package org.mailroom.core.exec;
