/**
 * Runs `java …` so that the JVM can never outlive this Node process, however it ends (SIGKILL included).
 *
 * Why a shell between us and the JVM: the one signal that a parent died which works on Linux and macOS
 * alike is a pipe closing (Linux's PR_SET_PDEATHSIG has no macOS equivalent, and Node reaches neither).
 * The kernel closes our end of the child's stdin when this process dies; a loop in the small POSIX sh
 * below reads that pipe (the `read` builtin: nothing from PATH), and at end-of-file sends the JVM
 * SIGTERM (DynamoDB Local then closes its database). The shell is the JVM's parent, so the pid it
 * signals is never a reused one, and it exits with the JVM's status. It also forwards SIGTERM/SIGINT
 * from us, and prints the JVM's pid first.
 * Windows has no /bin/sh: there the JVM is spawned directly (stopped by the exit hook only).
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** `$@` is java's argument list. Exit 127: no java on PATH. */
const WATCHDOG = `
command -v java >/dev/null 2>&1 || exit 127
exec 3<&0
java "$@" </dev/null >/dev/null 3<&- &
jvm=$!
echo "$jvm"
trap 'kill -TERM $jvm 2>/dev/null' TERM INT HUP
(while read -r line <&3; do :; done; kill -TERM $jvm 2>/dev/null) &
watcher=$!
exec 3<&-
status=0
while kill -0 $jvm 2>/dev/null; do wait $jvm; status=$?; done
kill $watcher 2>/dev/null
exit $status
`;

/** Exit status of the watchdog when `java` is not on PATH (the shell's "command not found"). */
export const JAVA_NOT_FOUND_EXIT = 127;

export interface WatchedJava {
  /** The watchdog shell (or the JVM itself on Windows). */
  child: ChildProcess;
  /** The JVM's pid once it has started; undefined if it never did. */
  jvmPid: Promise<number | undefined>;
}

export function spawnWatchedJava(args: string[], env: NodeJS.ProcessEnv): WatchedJava {
  if (process.platform === 'win32') {
    const child = spawn('java', args, { stdio: ['ignore', 'ignore', 'pipe'], env });
    return { child, jvmPid: Promise.resolve(child.pid) };
  }
  // stdin stays open and unwritten for the child's whole life: closing it is the stop signal.
  const child = spawn('/bin/sh', ['-c', WATCHDOG, 'sluice-java-watchdog', ...args], { stdio: ['pipe', 'pipe', 'pipe'], env });
  child.stdin?.on('error', () => undefined); // EPIPE once the shell is gone: nothing to tell
  const jvmPid = new Promise<number | undefined>((resolve) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = /^(\d+)\n/.exec(out);
      if (line !== null) resolve(Number(line[1]));
    });
    child.once('exit', () => resolve(undefined));
    child.once('error', () => resolve(undefined));
  });
  // Once the shell is gone, release the pipe so its watcher exits too.
  child.once('exit', () => child.stdin?.destroy());
  return { child, jvmPid };
}
