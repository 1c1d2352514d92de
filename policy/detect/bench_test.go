package detect

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's user+system CPU time. The machine the
// benchmarks run on is shared, so wall-clock MB/s swings with other
// people's load; MB per CPU-second (reported as MB/cpu-s) does not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds the MB/cpu-s metric for n bytes per op.
func reportCPU(b *testing.B, start time.Duration, n int) {
	if d := cpuTime() - start; d > 0 {
		b.ReportMetric(float64(n)*float64(b.N)/1e6/d.Seconds(), "MB/cpu-s")
	}
}

var (
	benchSurnames = []string{"山田", "鈴木", "佐藤", "高橋", "田中", "渡辺", "伊藤", "中村", "小林", "加藤"}
	benchGiven    = []string{"花子", "一郎", "次郎", "美咲", "翔太", "陽菜", "大輔", "由美", "健", "真由美"}
	benchKana     = []string{"ヤマダ ハナコ", "スズキ イチロウ", "サトウ ジロウ", "タカハシ ミサキ", "タナカ ショウタ"}
	benchAddr     = []string{"東京都渋谷区神宮前", "大阪府大阪市北区梅田", "北海道札幌市中央区北一条西", "神奈川県横浜市港北区新横浜", "福岡県福岡市博多区博多駅前"}
)

// benchRows generates a customer list of about size bytes, as rows of
// cells (header first). Cells are slices of one buffer, in order, as a
// CSV reader hands them over; separately allocated cells would measure
// cache misses instead of the detector.
func benchRows(size int) (rows [][][]byte, total int) {
	rng := rand.New(rand.NewPCG(1, 2))
	hdr := []string{"顧客番号", "氏名", "フリガナ", "生年月日", "郵便番号", "住所", "電話番号", "メールアドレス", "証券番号", "備考"}
	buf := make([]byte, 0, size+4096)
	cellArena := make([][]byte, 0, size/8)
	add := func(cells []string) {
		start := len(cellArena)
		for _, c := range cells {
			off := len(buf)
			buf = append(buf, c...)
			cellArena = append(cellArena, buf[off:len(buf):len(buf)])
			total += len(c) + 1
		}
		rows = append(rows, cellArena[start:len(cellArena):len(cellArena)])
	}
	add(hdr)
	for n := 0; total < size; n++ {
		add([]string{
			fmt.Sprintf("C%06d", n),
			benchSurnames[rng.IntN(10)] + " " + benchGiven[rng.IntN(10)],
			benchKana[rng.IntN(5)],
			fmt.Sprintf("%d/%02d/%02d", 1940+rng.IntN(60), 1+rng.IntN(12), 1+rng.IntN(28)),
			fmt.Sprintf("%03d-%04d", rng.IntN(1000), rng.IntN(10000)),
			fmt.Sprintf("%s%d-%d-%d", benchAddr[rng.IntN(5)], 1+rng.IntN(9), 1+rng.IntN(20), 1+rng.IntN(30)),
			fmt.Sprintf("090-%04d-%04d", rng.IntN(10000), rng.IntN(10000)),
			fmt.Sprintf("user%d@example.jp", n),
			fmt.Sprintf("AB%08d", rng.IntN(100000000)),
			"",
		})
	}
	return rows, total
}

func BenchmarkTable(b *testing.B) {
	e := newEngine(b)
	rows, total := benchRows(4 << 20)
	b.SetBytes(int64(total))
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	for b.Loop() {
		r := e.NewReport()
		tb := r.Table(Location{Path: "list.csv"})
		for _, row := range rows {
			tb.Row(row)
		}
		tb.Close()
	}
	reportCPU(b, start, total)
}

// benchText is a customer list pasted as labelled letters, the densest
// free text the gateway sees, plus ordinary prose.
func benchText(size int, dense bool) []byte {
	rng := rand.New(rand.NewPCG(3, 4))
	var buf bytes.Buffer
	for n := 0; buf.Len() < size; n++ {
		if dense {
			fmt.Fprintf(&buf, "氏名：%s %s 様\n生年月日：昭和%d年%d月%d日\n住所：〒%03d-%04d %s%d-%d-%d\n電話：090-%04d-%04d\n証券番号：AB%08d\n\n",
				benchSurnames[rng.IntN(10)], benchGiven[rng.IntN(10)], 20+rng.IntN(40), 1+rng.IntN(12), 1+rng.IntN(28),
				rng.IntN(1000), rng.IntN(10000), benchAddr[rng.IntN(5)], 1+rng.IntN(9), 1+rng.IntN(20), 1+rng.IntN(30),
				rng.IntN(10000), rng.IntN(10000), rng.IntN(100000000))
		} else {
			buf.WriteString("いつもお世話になっております。先日ご相談いただいた件につきまして、資料を添付いたしましたのでご確認ください。ご不明な点がございましたら、お気軽にお問い合わせください。\n今後ともよろしくお願い申し上げます。\n\n")
		}
	}
	return buf.Bytes()
}

// benchList is a customer list as PDF text extraction writes it: a
// header line, then one space-separated line per row.
func benchList(size int) []byte {
	rng := rand.New(rand.NewPCG(5, 6))
	var buf bytes.Buffer
	buf.WriteString("氏名 生年月日 電話番号 住所\n")
	for buf.Len() < size {
		fmt.Fprintf(&buf, "%s %s %d/%02d/%02d 090-%04d-%04d %s%d-%d-%d\n",
			benchSurnames[rng.IntN(10)], benchGiven[rng.IntN(10)], 1940+rng.IntN(60), 1+rng.IntN(12), 1+rng.IntN(28),
			rng.IntN(10000), rng.IntN(10000), benchAddr[rng.IntN(5)], 1+rng.IntN(9), 1+rng.IntN(20), 1+rng.IntN(30))
	}
	return buf.Bytes()
}

func benchmarkText(b *testing.B, data []byte) {
	e := newEngine(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	for b.Loop() {
		r := e.NewReport()
		tx := r.Text(Location{Part: "1"})
		for p := data; len(p) > 0; {
			n := min(32<<10, len(p))
			tx.Write(p[:n])
			p = p[n:]
		}
		tx.Close()
	}
	reportCPU(b, start, len(data))
}

func BenchmarkTextRecords(b *testing.B) { benchmarkText(b, benchText(4<<20, true)) }
func BenchmarkTextProse(b *testing.B)   { benchmarkText(b, benchText(4<<20, false)) }
func BenchmarkTextList(b *testing.B)    { benchmarkText(b, benchList(4<<20)) }
