//! `tracekit decode PROTOCOL FILE`: open the capture with the protocol's signals
//! (`decode_bus`), build the decoder from its options, stream its records, report.

use super::decode_bus::Bus;
use crate::cli::{DecodeArgs, DecodeProtocol};
use crate::dsp::decode::PerEvent;
use crate::dsp::decode::can::{CanDecoder, CanEvent};
use crate::dsp::decode::i2c::I2cDecoder;
use crate::dsp::decode::lin::{LinDecoder, LinEvent};
use crate::dsp::decode::onewire::{OneWireDecoder, OneWireEvent};
use crate::dsp::decode::spi::{SpiDecoder, SpiSignals};
use crate::report::decode as report;
use anyhow::{Context, Result};

pub fn run(args: &DecodeArgs, quiet: bool) -> Result<()> {
    match &args.protocol {
        DecodeProtocol::Uart(a) => super::decode_uart::run(a, quiet),
        DecodeProtocol::Spi(a) => {
            let signals = [
                ("clk", Some(&a.clk)),
                ("miso", a.miso.as_ref()),
                ("mosi", a.mosi.as_ref()),
                ("cs", a.cs.as_ref()),
            ];
            let bus = Bus::open(&a.bus, &signals, quiet)?;
            let present = SpiSignals {
                miso: a.miso.is_some(),
                mosi: a.mosi.is_some(),
                cs: a.cs.is_some(),
            };
            let dec = SpiDecoder::new(a.config(), present).context("spi")?;
            let ann = dec.annotator();
            bus.run("spi", dec, ann, report::SPI)
        }
        DecodeProtocol::I2c(a) => {
            let signals = [("scl", Some(&a.scl)), ("sda", Some(&a.sda))];
            let bus = Bus::open(&a.bus, &signals, quiet)?;
            let dec = I2cDecoder::new(a.config());
            let ann = dec.annotator();
            bus.run("i2c", dec, ann, report::I2C)
        }
        DecodeProtocol::Can(a) => {
            let bus = Bus::open(&a.bus, &[("rx", Some(&a.rx))], quiet)?;
            let dec = CanDecoder::new(&a.config(), bus.rate).with_context(|| bus.path.clone())?;
            let ann = PerEvent::<CanEvent>::default();
            bus.run("can", dec, ann, report::CAN)
        }
        DecodeProtocol::Onewire(a) => {
            let bus = Bus::open(&a.bus, &[("owr", Some(&a.owr))], quiet)?;
            let dec =
                OneWireDecoder::new(&a.config(), bus.rate).with_context(|| bus.path.clone())?;
            let ann = PerEvent::<OneWireEvent>::default();
            bus.run("onewire", dec, ann, report::ONEWIRE)
        }
        DecodeProtocol::Lin(a) => {
            let bus = Bus::open(&a.bus, &[("rx", Some(&a.rx))], quiet)?;
            let dec = LinDecoder::new(&a.config(), bus.rate).with_context(|| bus.path.clone())?;
            let ann = PerEvent::<LinEvent>::default();
            bus.run("lin", dec, ann, report::LIN)
        }
    }
}
