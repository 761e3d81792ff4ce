/**
 * How the product writes and reads its own small files, in one place: {@link
 * org.dnnlessons.files.FilePublisher} publishes every file the product writes (a temporary file
 * beside the target, fsync, atomic rename, directory fsync, the umask's mode, a target that is not
 * a regular file refused before anything is written, stale temporaries of dead writers removed);
 * {@link org.dnnlessons.files.SmallFiles} reads small inputs (state files, configurations) from
 * regular files only, with a stated size limit; {@link org.dnnlessons.files.Messages} keeps a
 * user-facing message one line of a few hundred characters. It depends on no other package of the
 * product.
 */
package org.dnnlessons.files;
