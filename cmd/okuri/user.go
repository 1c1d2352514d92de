package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/okuri/okuri/directory"
)

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// cmdUser writes password hashes into the users file named by the config.
// The password comes from the terminal (asked twice) or, when stdin is not
// a terminal, from its first line — never from the command line, where
// other users could read it in the process list.
func cmdUser(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "add" && args[0] != "passwd") {
		fmt.Fprintln(stderr, "usage: okuri user add|passwd -config FILE [-name NAME] [-alias ADDR]... ADDRESS")
		return 1
	}
	sub := args[0]
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "", "configuration file")
	name := fs.String("name", "", "display name (add only)")
	var aliases multiFlag
	fs.Var(&aliases, "alias", "further sender address the user owns (add only; repeatable)")
	if err := fs.Parse(reorder(args[1:])); err != nil || *path == "" || fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: okuri user add|passwd -config FILE [-name NAME] [-alias ADDR]... ADDRESS")
		return 1
	}
	address := fs.Arg(0)
	if !strings.Contains(address, "@") {
		fmt.Fprintf(stderr, "okuri: %q is not a mail address\n", address)
		return 1
	}
	cfg, err := loadConfig(*path, stderr)
	if err != nil {
		return 1
	}
	pw, err := readPassword(stdin, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "okuri: %v\n", err)
		return 1
	}
	if err := directory.SetPassword(cfg.Dir.UsersFile, address, *name, aliases, pw, sub == "add"); err != nil {
		fmt.Fprintf(stderr, "okuri: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s: password set for %s; a running okuri applies it when it sees the file change (two-factor set-up is kept)\n", cfg.Dir.UsersFile, address)
	return 0
}

// reorder moves flags before the positional address so both
// "user add -config F a@b" and "user add a@b -config F" work.
func reorder(args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") {
			flags = append(flags, a)
			if !strings.Contains(a, "=") && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		pos = append(pos, a)
	}
	return append(flags, pos...)
}

func readPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, "Password: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(stderr, "Again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("passwords differ")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", errors.New("no password on standard input")
	}
	return pw, nil
}
