import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A MongoDB wire-protocol server on 127.0.0.1 for tests (memory backend) and the quick start (H2 backend, one
 * file). Usage: java -cp 'lib/*:classes' MongoWireServer --backend=memory|h2 --port=N [--file=PATH]
 */
public class MongoWireServer {
    public static void main(String[] args) throws Exception {
        String backendName = "memory";
        String file = null;
        int port = 27017;
        for (String arg : args) {
            if (arg.startsWith("--backend=")) backendName = arg.substring(10);
            else if (arg.startsWith("--port=")) port = Integer.parseInt(arg.substring(7));
            else if (arg.startsWith("--file=")) file = arg.substring(7);
            else throw new IllegalArgumentException("unknown argument " + arg);
        }
        final MongoBackend backend;
        switch (backendName) {
            case "memory":
                backend = new MemoryBackend();
                break;
            case "h2":
                if (file == null) throw new IllegalArgumentException("--file=PATH is required with --backend=h2");
                backend = new H2Backend(file);
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
        final MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", port);
        final CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM: close the backend cleanly (H2 commits and closes its file).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            stopped.countDown();
        }));
        System.out.printf("listening on 127.0.0.1:%d (%s backend)%n", port, backendName);
        System.out.flush();
        stopped.await();
    }
}
