#!/usr/bin/perl
# Compiler-guided fixes: reads clang diagnostics made with -fdiagnostics-parseable-fixits and
# applies the fix-its of an allow-list of errors only (never a typo correction), each once.
#   autofix.pl TREE LOG...      prints the number of edits applied
use strict;
use warnings;

my ($tree, @logs) = @ARGV;
my @allowed = (
  qr/template specialization requires 'template<>'/,
  qr/missing 'typename' prior to dependent type name/,
  qr/explicit specialization of .* must be declared/,
);
my %fix;    # file -> { "l1:c1:l2:c2" => text }
my %cond;   # file -> { "line:col" => kind } for ?: errors that have no fix-it
for my $log (@logs) {
  open(my $in, '<', $log) or next;
  my $ok = 0;
  while (my $line = <$in>) {
    if ($line =~ /^(\S+?):(\d+):(\d+): error: (.*)$/) {
      my ($f, $l, $c, $m) = ($1, $2, $3, $4);
      $ok = grep { $m =~ $_ } @allowed;
      # MSVC resolves 'c ? LittleEndian<T> : T' (each converts to the other) and 'c ? void : int';
      # clang refuses. Same values: unary plus on both operands (their arithmetic value), or a
      # (void) on the non-void one. Only where the diagnostic points at the '?' itself.
      if (index($f, $tree) == 0) {
        $cond{$f}{"$l:$c"} = 'plus' if $m =~ /^conditional expression is ambiguous/;
        $cond{$f}{"$l:$c"} = 'voidright' if $m =~ /^left operand to \? is void, but right operand/;
        $cond{$f}{"$l:$c"} = 'voidleft' if $m =~ /^right operand to \? is void, but left operand/;
        # inside a template instantiated late (-fdelayed-template-parsing) clang gives no fix-it
        $cond{$f}{"$l:$c"} = "typename:$1" if $m =~ /^missing 'typename' prior to dependent type name '([^']+)'/;
      }
      next;
    }
    next if $line =~ /: note: /;
    if ($ok && $line =~ /^fix-it:"([^"]+)":\{(\d+):(\d+)-(\d+):(\d+)\}:"(.*)"$/) {
      my ($f, $l1, $c1, $l2, $c2, $t) = ($1, $2, $3, $4, $5, $6);
      next unless index($f, $tree) == 0;
      $t =~ s/\\n/\n/g; $t =~ s/\\"/"/g; $t =~ s/\\\\/\\/g;
      $fix{$f}{"$l1:$c1:$l2:$c2"} = $t;
    }
  }
}
my $n = 0;
for my $f (sort keys %cond) {
  open(my $in, '<:raw', $f) or die "$f: $!"; local $/; my $t = <$in>; close $in;
  my @starts = (0); push @starts, pos($t) while $t =~ /\n/g;
  my @edits;    # [offset, text]
  for my $k (keys %{ $cond{$f} }) {
    my ($l, $c) = split /:/, $k;
    my $q = $starts[$l - 1] + $c - 1;
    if ($cond{$f}{$k} =~ /^typename:(.*)$/) {
      # the diagnostic names the instantiated type (T<ICache>::X); the source may say T<I>::X:
      # compare the first identifier only
      my ($first) = $1 =~ /^\s*([A-Za-z_]\w*)/;
      push @edits, [$q, 'typename '] if $first && substr($t, $q, length $first) eq $first && substr($t, $q - 9, 9) ne 'typename ';
      next;
    }
    next unless substr($t, $q, 1) eq '?';
    # the matching ':' (depth 0, not '::', nested ?: skipped)
    my ($depth, $nest, $i, $colon) = (0, 0, $q + 1, -1);
    while ($i < length $t) {
      my $ch = substr($t, $i, 1);
      if ($ch =~ /[(\[{]/) { $depth++ }
      elsif ($ch =~ /[)\]}]/) { last if $depth == 0; $depth-- }
      elsif ($ch eq ';' && $depth == 0) { last }
      elsif ($ch eq '?' && $depth == 0) { $nest++ }
      elsif ($ch eq ':' && $depth == 0) {
        if (substr($t, $i, 2) eq '::') { $i += 2; next }
        if (substr($t, $i - 1, 1) eq ':') { $i++; next }
        if ($nest) { $nest-- } else { $colon = $i; last }
      }
      $i++;
    }
    next if $colon < 0;
    my $kind = $cond{$f}{$k};
    if ($kind eq 'plus') { push @edits, [$q + 1, ' +'], [$colon + 1, ' +'] }
    elsif ($kind eq 'voidright') { push @edits, [$colon + 1, ' (void)'] }
    else { push @edits, [$q + 1, ' (void)'] }
  }
  next unless @edits;
  for my $e (sort { $b->[0] <=> $a->[0] } @edits) { substr($t, $e->[0], 0) = $e->[1]; $n++ }
  open(my $o, '>:raw', $f) or die; print $o $t; close $o;
}
for my $f (sort keys %fix) {
  open(my $in, '<:raw', $f) or die "$f: $!"; my @lines = <$in>; close $in;
  # apply from the end so earlier positions stay valid
  for my $k (sort { my @a = split /:/, $a; my @b = split /:/, $b; $b[0] <=> $a[0] || $b[1] <=> $a[1] } keys %{ $fix{$f} }) {
    my ($l1, $c1, $l2, $c2) = split /:/, $k;
    next unless $l1 == $l2;    # single-line edits only
    my $s = $lines[$l1 - 1];
    substr($s, $c1 - 1, $c2 - $c1) = $fix{$f}{$k};
    $lines[$l1 - 1] = $s;
    $n++;
  }
  open(my $o, '>:raw', $f) or die; print $o @lines; close $o;
}
print "$n\n";
