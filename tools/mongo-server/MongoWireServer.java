import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.h2.mvstore.MVStore;

/**
 * A MongoDB wire-protocol server on 127.0.0.1 for tests (memory backend) and the quick start (H2 backend, one
 * file), optionally asking for a user and password (ScramAuthentication). Usage:
 *   java -cp 'lib/*:classes' MongoWireServer --backend=memory|h2 --port=N [--file=PATH]
 *     [--user=NAME --password-file=PATH]
 */
public class MongoWireServer {
    /** Commands that change data: with the H2 backend, answered only once what they wrote is on disk. */
    private static final Set<String> WRITES = Set.of(
        "insert", "update", "delete", "findAndModify", "findandmodify", "create", "createIndexes",
        "dropIndexes", "drop", "dropDatabase", "renameCollection");

    /**
     * H2 commits its file about once a second by itself, from a thread of its own, in the middle of whatever is
     * being written: a kill -9 lost up to a second of acknowledged writes, and could leave a document without
     * its unique index entries. Here the file is committed only between write commands, and every write
     * command is committed and synced before its answer. Writes done while a sync runs share the next one
     * (group commit): each counts itself once done, and a sync covers every write counted before it started.
     */
    static class DurableH2Backend extends H2Backend {
        private final ReentrantReadWriteLock writing = new ReentrantReadWriteLock();
        private final Object syncing = new Object();
        private final AtomicLong writes = new AtomicLong();
        private long synced = 0;

        DurableH2Backend(String file) {
            super(new MVStore.Builder().fileName(file).autoCommitDisabled().open());
        }

        @Override
        public Document handleCommand(Channel channel, String database, String command, Document query) {
            if (!WRITES.contains(command)) return super.handleCommand(channel, database, command, query);
            writing.readLock().lock();
            try {
                return super.handleCommand(channel, database, command, query);
            } finally {
                writing.readLock().unlock();
                // Also after a refusal: an ordered insert stopped by a duplicate key keeps what it wrote before.
                sync();
            }
        }

        private void sync() {
            long mine = writes.incrementAndGet();
            synchronized (syncing) {
                if (synced >= mine) return;
                writing.writeLock().lock();
                try {
                    long upTo = writes.get();
                    getMvStore().commit();
                    getMvStore().sync();
                    synced = upTo;
                } finally {
                    writing.writeLock().unlock();
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        String backendName = "memory";
        String file = null;
        String user = null;
        String passwordFile = null;
        int port = 27017;
        for (String arg : args) {
            if (arg.startsWith("--backend=")) backendName = arg.substring(10);
            else if (arg.startsWith("--port=")) port = Integer.parseInt(arg.substring(7));
            else if (arg.startsWith("--file=")) file = arg.substring(7);
            else if (arg.startsWith("--user=")) user = arg.substring(7);
            else if (arg.startsWith("--password-file=")) passwordFile = arg.substring(16);
            else throw new IllegalArgumentException("unknown argument " + arg);
        }
        final MongoBackend backend;
        switch (backendName) {
            case "memory":
                backend = new MemoryBackend();
                break;
            case "h2":
                if (file == null) throw new IllegalArgumentException("--file=PATH is required with --backend=h2");
                backend = new DurableH2Backend(file);
                break;
            default:
                throw new IllegalArgumentException("--backend must be memory or h2");
        }
        // 1.47.0's newest version (5.0) reports wire version 8, but the Node.js driver 7 needs at least 9:
        // report 5.0 with its real wire version, 13.
        backend.version(new MongoVersion() {
            public List<Integer> getVersionArray() { return List.of(5, 0, 0); }
            public int getWireVersion() { return 13; }
        });
        if ((user == null) != (passwordFile == null)) {
            throw new IllegalArgumentException("--user and --password-file go together");
        }
        final MongoServer server = new MongoServer(user == null ? backend
            : ScramAuthentication.wrap(backend, user, Files.readString(Path.of(passwordFile)).strip()));
        try {
            server.bind("127.0.0.1", port);
        } catch (Exception e) {
            // Netty's threads would keep a server that cannot listen alive: say why and end.
            System.err.printf("cannot listen on 127.0.0.1:%d: %s%n", port, e);
            System.exit(1);
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM: close the backend cleanly (H2 commits and closes its file).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            stopped.countDown();
        }));
        System.out.printf("listening on 127.0.0.1:%d (%s backend%s)%n", port, backendName,
            user == null ? "" : ", user " + user);
        System.out.flush();
        stopped.await();
    }
}
