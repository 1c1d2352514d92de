package auditcli

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/okuri/okuri/audit"
)

// csvHeader is the first row of a CSV export (Japanese / English).
var csvHeader = []string{
	"日時 / time", "種別 / type", "内容 / label", "メールID / message_id", "操作者 / actor", "IP",
	"送信者 / sender", "宛先 / recipients", "判定 / decision", "ルール / rule", "保留理由 / reason",
	"状態 / state", "検出 / findings", "インスタンス / instance", "seq", "id", "hash", "コメント / comment",
}

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("okuri audit export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var src source
	src.flags(fs, true)
	since := fs.String("since", "", "first time (required: 30d, 2026-11-01, …)")
	until := fs.String("until", "", "end time, exclusive (default now)")
	format := fs.String("format", "jsonl", "jsonl or csv")
	out := fs.String("o", "", "write to this file instead of stdout")
	zone := fs.String("tz", defaultZone(), "time zone for dates without a zone and for CSV times ($OKURI_TZ)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *since == "" {
		return errors.New("-since is required")
	}
	if *format != "jsonl" && *format != "csv" {
		return fmt.Errorf("unknown -format %q (jsonl or csv)", *format)
	}
	loc, err := loadZone(*zone)
	if err != nil {
		return err
	}
	now := time.Now()
	from, err := parseWhen(*since, now, loc)
	if err != nil {
		return err
	}
	to := now
	if *until != "" {
		if to, err = parseWhen(*until, now, loc); err != nil {
			return err
		}
	}
	w := stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriter(w)
	var cw *csv.Writer
	if *format == "csv" {
		bw.WriteString("\ufeff") // BOM: Excel then reads UTF-8
		cw = csv.NewWriter(bw)
		cw.UseCRLF = true
		hdr := append([]string(nil), csvHeader...)
		hdr[0] += " [" + zoneLabel(loc, from) + "]"
		if err := cw.Write(hdr); err != nil {
			return err
		}
	}
	err = src.each(ctx, from, false, func(_ uint64, data []byte) error {
		ev, err := audit.Unmarshal(data)
		if err != nil || ev.Time.Before(from) || !ev.Time.Before(to) {
			return nil
		}
		if cw == nil {
			bw.Write(data) // exact published bytes: verifiable
			return bw.WriteByte('\n')
		}
		return cw.Write(csvRow(ev, loc))
	})
	if err != nil {
		return err
	}
	if cw != nil {
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func csvRow(ev audit.Event, loc *time.Location) []string {
	actor := ev.Actor.Kind
	if ev.Actor.User != "" {
		actor = ev.Actor.User
	}
	state := ev.State
	if ev.PrevState != "" {
		state = ev.PrevState + "→" + ev.State
	}
	return []string{
		ev.Time.In(loc).Format("2006-01-02 15:04:05"), ev.Type, EventLabel(ev), ev.MessageID, actor, ev.Actor.IP,
		ev.Sender, strings.Join(ev.Recipients, " "), ev.Decision, ev.Rule, ev.Reason,
		state, counts(ev.Findings), ev.Instance, strconv.FormatUint(ev.Seq, 10), ev.ID, ev.Hash, ev.Comment,
	}
}
