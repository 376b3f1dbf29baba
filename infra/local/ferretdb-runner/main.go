// Command ferretdb-runner embeds FerretDB v1 (a MongoDB-wire-compatible server) so that the project
// can start a real database without Docker. `go install` of FerretDB's own command panics at start
// (its build/version/version.txt is not in the module zip); embedding the library avoids that.
package main

import (
	"context"
	"flag"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	handler := flag.String("handler", "sqlite", "backend: sqlite or postgresql")
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	sqliteURL := flag.String("sqlite-url", "", "SQLite directory URL, e.g. file:/abs/dir/ (trailing slash)")
	postgresURL := flag.String("postgresql-url", "", "PostgreSQL URL, e.g. postgres://user:pass@127.0.0.1:5432/ferretdb")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	// Read by patches/0003-idle-cursor-timeout.patch (decision 0009).
	idle := flag.Duration("cursor-idle-timeout", 10*time.Minute, "close cursors unused for that long (0: never), as MongoDB does")
	flag.Parse()
	if err := os.Setenv("FERRETDB_CURSOR_IDLE_TIMEOUT", idle.String()); err != nil {
		log.Fatalf("setenv: %v", err)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		log.Fatalf("bad -log-level: %v", err)
	}
	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: *listen},
		Handler:       *handler,
		SQLiteURL:     *sqliteURL,
		PostgreSQLURL: *postgresURL,
		Logger:        logger,
	})
	if err != nil {
		log.Fatalf("ferretdb: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	logger.Info("ferretdb-runner listening", "addr", *listen, "handler", *handler)
	f.Run(ctx)
}
